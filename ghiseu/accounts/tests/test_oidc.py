"""The OpenID Connect slot for ROeID: off (no button, no login URL) until GHISEU_OIDC_SERVER_URL and
GHISEU_OIDC_CLIENT_ID are set; then a "Conectare cu ROeID" button whose form sends the browser to the
server's authorization endpoint (discovered from a real HTTP server here) with PKCE."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN_PATH = "/cont/oidc/roeid/login/"


@pytest.fixture
def discovery_server() -> Iterator[str]:
    """A tiny OpenID provider that only answers its discovery document."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            base = f"http://{self.headers['Host']}"
            if self.path != "/.well-known/openid-configuration":
                self.send_error(404)
                return
            body = json.dumps(
                {
                    "issuer": base,
                    "authorization_endpoint": f"{base}/authorize",
                    "token_endpoint": f"{base}/token",
                    "userinfo_endpoint": f"{base}/userinfo",
                    "jwks_uri": f"{base}/jwks",
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_without_settings_there_is_no_roeid_button_and_no_login(client: Client, settings: Any) -> None:
    settings.GHISEU_OIDC_SERVER_URL = ""
    settings.GHISEU_OIDC_CLIENT_ID = ""

    page = client.get(reverse("accounts:login")).content.decode()

    assert "ROeID" not in page and LOGIN_PATH not in page
    assert client.post(LOGIN_PATH).status_code == 404


def test_with_settings_the_button_leads_to_the_roeid_server(
    client: Client, settings: Any, discovery_server: str
) -> None:
    settings.GHISEU_OIDC_SERVER_URL = discovery_server
    settings.GHISEU_OIDC_CLIENT_ID = "ghiseu-lupeni"
    settings.GHISEU_OIDC_CLIENT_SECRET = "secret-de-test"
    settings.GHISEU_OIDC_NAME = "ROeID"

    page = client.get(reverse("accounts:login")).content.decode()
    assert "Conectare cu ROeID" in page and LOGIN_PATH in page
    assert "Conectare cu ROeID" in client.get(reverse("account_signup")).content.decode()
    # the link opens a confirmation page (a GET never starts the login), whose form posts
    confirm = client.get(LOGIN_PATH)
    assert confirm.status_code == 200 and "<h1>Conectare cu ROeID</h1>" in confirm.content.decode()

    response = client.post(LOGIN_PATH)

    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{discovery_server}/authorize"
    query = parse_qs(target.query)
    assert query["client_id"] == ["ghiseu-lupeni"]
    assert query["response_type"] == ["code"]
    assert "openid" in query["scope"][0]
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["redirect_uri"][0].endswith("/cont/oidc/roeid/login/callback/")
    assert "secret-de-test" not in response["Location"]
