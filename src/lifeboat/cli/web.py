"""``lifeboat serve``: the web app (the page, the JSON API, HTML reports) on a local port."""

from __future__ import annotations

import typer

from lifeboat.cli.common import console, user_errors
from lifeboat.errors import InputError

AllowHostOption = typer.Option(
    [], "--allow-host",
    help="Host name clients use to reach the server when bound beyond loopback; repeatable.")


def register(app: typer.Typer) -> None:
    @app.command("serve")
    @user_errors
    def serve(
        host: str = typer.Option("127.0.0.1", help="Address to listen on (loopback by default)."),
        port: int = typer.Option(8000, help="TCP port to listen on."),
        workers: int = typer.Option(2, help="Threads running assessments and Monte Carlo runs."),
        queue: int = typer.Option(8, help="Computations queued or running at once; more get HTTP 503."),
        allow_host: list[str] = AllowHostOption,
    ) -> None:
        """Serve the web app: edit and assess scenarios, compare architectures, replay incidents."""
        if not 0 < port < 65536:
            raise InputError(f"expected a TCP port from 1 to 65535, got {port}", source="--port")
        if not 1 <= workers <= 64:
            raise InputError(f"expected 1 to 64 workers, got {workers}", source="--workers")
        if not workers <= queue <= 1000:
            raise InputError(f"expected a queue of {workers} (the workers) to 1000, got {queue}",
                             source="--queue")
        try:
            import uvicorn
        except ModuleNotFoundError:
            raise InputError("the web app needs the 'web' extra: pip install 'lifeboat[web]'",
                             source="serve") from None
        from lifeboat.web.app import create_app

        application = create_app(host=host, allowed_hosts=tuple(allow_host), workers=workers,
                                 max_active=queue, warm_up=True)
        shown = f"[{host}]" if ":" in host else host
        console.print(f"Lifeboat web app on http://{shown}:{port}/ (API documentation at /docs; Ctrl-C to stop)")
        uvicorn.run(application, host=host, port=port, log_level="warning")
