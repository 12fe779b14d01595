"""A loopback server speaking the OpenAI chat-completions protocol (POST
/v1/chat/completions, answer `{"object": "chat.completion", "choices": [{"message":
{"role": "assistant", "content": ...}}]}`), for tests of the optional language model."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ChatCompletionsServer:
    """Answers each request with `answer(user_message)`; records every request."""

    def __init__(self, answer: Callable[[str], str], delay: float = 0.0):
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                body = json.loads(self.rfile.read(length))
                server.requests.append({"path": self.path, "json": body})
                if delay:
                    time.sleep(delay)
                user = next(m["content"] for m in body["messages"] if m["role"] == "user")
                data = json.dumps(
                    {
                        "id": f"chatcmpl-{len(server.requests)}",
                        "object": "chat.completion",
                        "created": 1733200000,
                        "model": body["model"],
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": answer(user)},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    }
                ).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (timeout tests)
                    pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def keyword_answer(rules: dict[str, str]) -> Callable[[str], str]:
    """An answer naming each category whose keyword occurs in the proposal's text."""

    def answer(user: str) -> str:
        text = user.split("Innspill:\n", 1)[1].lower()
        found = [label for word, label in rules.items() if word in text]
        return "```json\n" + json.dumps({"categories": found}) + "\n```"

    return answer
