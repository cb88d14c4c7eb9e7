"""Crash log, frozen self-test and start-up probe."""
