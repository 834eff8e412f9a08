// SPDX-License-Identifier: GPL-2.0
/* The program fork+exec+wait executes: static, does nothing. */
int main(void)
{
	return 0;
}
