"""`retning serve`: serve Retning with gunicorn (static files through whitenoise)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Retning over HTTP with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("RETNING_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("RETNING_PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("RETNING_WORKERS", "2"))
        )

    def handle(self, *args, host: str, port: int, workers: int, **options):
        from gunicorn.app.base import BaseApplication

        from retning.wsgi import application

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("worker_class", "gthread")
                self.cfg.set("threads", 4)
                self.cfg.set("timeout", 60)
                self.cfg.set("accesslog", "-")
                if settings.RETNING_TRUSTED_PROXIES:
                    # whose X-Forwarded-Proto tells gunicorn (and so Django) that the
                    # request came over HTTPS; the default trusts the local machine only
                    self.cfg.set(
                        "forwarded_allow_ips",
                        ",".join(str(n) for n in settings.RETNING_TRUSTED_PROXIES),
                    )

            def load(self):
                return application

        shown_host = f"[{host}]" if ":" in host else host
        self.stdout.write(f"Retning: http://{shown_host}:{port}/  (stop with Ctrl+C)")
        self.stdout.flush()
        Server().run()
