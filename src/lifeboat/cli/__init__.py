"""The ``lifeboat`` command line: thin modules that parse, call a service, and print."""
