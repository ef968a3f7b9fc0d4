"""Development tools run by the Makefile (not part of the installed program)."""
