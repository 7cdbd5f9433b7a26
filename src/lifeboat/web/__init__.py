"""The web app: the same services as the CLI, over HTTP (``lifeboat serve``)."""
