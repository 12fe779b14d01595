"""`retning serve`: serve Retning with gunicorn (static files through whitenoise), with a
background worker (`retning worker`) alongside unless `--no-worker` is given."""

from __future__ import annotations

import os
import subprocess
import sys

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
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start a background worker (run `retning worker` separately)",
        )

    def handle(self, *args, host: str, port: int, workers: int, no_worker: bool, **options):
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
        worker = None
        if not no_worker:
            # The same interpreter and settings; stopped when the server stops.
            worker = subprocess.Popen([sys.executable, "-m", "retning.cli", "worker"])
            self.stdout.write(f"background worker: process {worker.pid}")
            self.stdout.flush()
        try:
            Server().run()
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
