"""The AI client against a local HTTP server that speaks the chat-completions protocol."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from retning.analysis.llm import LlmClient, LlmConfig, LlmError


class ChatServer:
    """Records every request and answers with a fixed completion (or an error)."""

    def __init__(self, answer: str = "Rask byggesak", status: int = 200, body: str | None = None):
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                server.requests.append(
                    {
                        "path": self.path,
                        "auth": self.headers.get("Authorization"),
                        "json": json.loads(self.rfile.read(length)),
                    }
                )
                payload = (
                    body
                    if body is not None
                    else json.dumps(
                        {
                            "id": "chatcmpl-1",
                            "object": "chat.completion",
                            "model": "local",
                            "choices": [
                                {
                                    "index": 0,
                                    "message": {"role": "assistant", "content": answer},
                                    "finish_reason": "stop",
                                }
                            ],
                        }
                    )
                )
                data = payload.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def chat_server():
    servers = []

    def start(**kwargs) -> ChatServer:
        servers.append(ChatServer(**kwargs))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def client_for(server: ChatServer) -> LlmClient:
    return LlmClient(LlmConfig(server.url, "local-model", "secret-key"), timeout=5)


def test_config_needs_url_and_model_and_the_key_only_when_the_service_wants_one():
    assert LlmConfig.from_env({}) is None
    assert LlmConfig.from_env({"RETNING_LLM_URL": "http://x", "RETNING_LLM_API_KEY": "k"}) is None
    config = LlmConfig.from_env(
        {"RETNING_LLM_URL": "http://x/v1/", "RETNING_LLM_MODEL": "m", "RETNING_LLM_API_KEY": "k"}
    )
    assert config.endpoint == "http://x/v1/chat/completions" and config.api_key == "k"
    keyless = LlmConfig.from_env({"RETNING_LLM_URL": "http://x/v1", "RETNING_LLM_MODEL": "m"})
    assert keyless is not None and keyless.api_key == ""


def test_a_self_hosted_model_without_a_key_is_asked_without_an_authorization_header(
    chat_server,
):
    server = chat_server(answer="Rask byggesak")
    config = LlmConfig.from_env({"RETNING_LLM_URL": server.url, "RETNING_LLM_MODEL": "llama3"})
    draft = LlmClient(config, timeout=5).draft_theme_name(["byggesak"], ["Byggesaken tok tid."])
    assert draft.text == "Rask byggesak"
    (request,) = server.requests
    assert request["auth"] is None and request["json"]["model"] == "llama3"


def test_theme_name_is_drafted_without_personal_data(chat_server):
    server = chat_server(answer="«Raskere byggesaksbehandling»\n")
    draft = client_for(server).draft_theme_name(
        ["byggesak", "saksbehandling"],
        ["Byggesaken tok fire måneder. Hilsen Per Hansen, per@hansen.no, 41 22 33 44"],
        names=["Per Hansen"],
    )
    assert draft.text == "Raskere byggesaksbehandling"
    assert draft.is_ai_draft and draft.origin == "ai-draft:local-model"
    (request,) = server.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer secret-key"
    assert request["json"]["model"] == "local-model"
    sent = json.dumps(request["json"], ensure_ascii=False)
    for secret in ("Per Hansen", "per@hansen.no", "41 22 33 44"):
        assert secret not in sent
    assert "Byggesaken tok fire måneder" in sent


def test_section_summary_comes_back_as_a_draft(chat_server):
    # Staff approve it in the database (consultation_analysis.decisions), never here.
    server = chat_server(answer="Innspillene ber om dobbeltspor.")
    draft = client_for(server).draft_section_summary("Infrastruktur", ["Dobbeltspor nå!"])
    assert draft.is_ai_draft
    assert draft.approved_by is None
    assert draft.text == "Innspillene ber om dobbeltspor."


def test_server_errors_and_malformed_answers_are_clear(chat_server):
    failing = chat_server(status=500, body='{"error": "overloaded"}')
    with pytest.raises(LlmError, match="answered 500"):
        client_for(failing).chat("s", "u")
    malformed = chat_server(body='{"choices": []}')
    with pytest.raises(LlmError, match="not a chat completion"):
        client_for(malformed).chat("s", "u")


def test_unreachable_service_is_an_error_not_a_hang():
    config = LlmConfig("http://127.0.0.1:9/v1", "m", "k")
    with pytest.raises(LlmError, match=re.escape("127.0.0.1:9")):
        LlmClient(config, timeout=2).chat("s", "u")
