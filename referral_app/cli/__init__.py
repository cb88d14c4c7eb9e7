"""The command line: parses, calls services, prints. It never decides."""
