"""``python -m lifeboat``: the same command line as ``lifeboat``."""

from lifeboat.cli.app import main

if __name__ == "__main__":
    main()
