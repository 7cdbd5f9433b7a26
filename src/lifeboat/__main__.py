"""``python -m lifeboat``: the same command line as ``lifeboat``."""

from lifeboat.cli.app import app

if __name__ == "__main__":
    app(prog_name="lifeboat")
