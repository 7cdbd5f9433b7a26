"""``lifeboat serve``: the web app (JSON API and HTML reports) on a local port."""

from __future__ import annotations

import typer

from lifeboat.cli.common import console, user_errors
from lifeboat.errors import InputError


def register(app: typer.Typer) -> None:
    @app.command("serve")
    @user_errors
    def serve(
        host: str = typer.Option("127.0.0.1", help="Address to listen on."),
        port: int = typer.Option(8000, help="TCP port to listen on."),
    ) -> None:
        """Serve the web app: JSON endpoints over every service, and HTML assessment reports."""
        if not 0 < port < 65536:
            raise InputError(f"expected a TCP port from 1 to 65535, got {port}", source="--port")
        try:
            import uvicorn
        except ModuleNotFoundError:
            raise InputError("the web app needs the 'web' extra: pip install 'lifeboat[web]'",
                             source="serve") from None
        from lifeboat.web.app import create_app

        console.print(f"Lifeboat web app on http://{host}:{port}/ (Ctrl-C to stop)")
        uvicorn.run(create_app(), host=host, port=port, log_level="warning")
