// SPDX-License-Identifier: GPL-2.0
/* lcctl - configure linkcrypt devices. */
#include "lcctl.h"

int main(int argc, char **argv)
{
	return lcctl_main(argc, argv);
}
