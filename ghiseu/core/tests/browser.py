"""Helpers of the browser tests (Playwright driving Debian's Chromium; the page fixtures are in
ghiseu/conftest.py). The keyboard-only way through the sign-in form is the registry's own test."""

from __future__ import annotations

from typing import Any

from ghiseu.accounts.tests.factories import PASSWORD

__all__ = ["PASSWORD", "assert_accessible", "sign_in"]


def assert_accessible(page: Any, name: str) -> None:
    """axe-core finds no serious or critical WCAG violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    serious = [v for v in violations if v.get("impact") in ("serious", "critical")]
    details = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5]) for v in serious]
    assert not serious, f"{name}: {details}"


def sign_in(page: Any, base: str, username: str, *, next_path: str = "") -> None:
    """Sign a factory-made user in through the login form; with `next_path`, land there."""
    page.goto(f"{base}/cont/autentificare/" + (f"?next={next_path}" if next_path else ""))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    if next_path:
        page.wait_for_url(f"{base}{next_path}")
    assert "/cont/autentificare/" not in page.url, page.content()[:3000]
