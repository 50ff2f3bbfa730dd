"""Where a change comes from: the client's address, through trusted proxies only."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from khuyencong.core.origin import client_ip, request_origin


def request(**meta):
    return RequestFactory().get("/", **meta)


def test_without_proxies_the_socket_address_counts_and_forwarded_headers_are_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="1.2.3.4")) == (
        "198.51.100.4"
    )


@pytest.mark.parametrize(
    "forwarded,expected",
    [
        ("203.0.113.9", "203.0.113.9"),
        ("6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the left part is the client's own claim
        ("not-an-ip", None),
        ("", "10.0.0.1"),
    ],
)
def test_behind_one_proxy_its_entry_counts(settings, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)) == expected


def test_browser_text_is_cleaned_and_bounded():
    origin = request_origin(request(HTTP_USER_AGENT="Mozilla\x00\n" + "x" * 400))
    assert "\x00" not in origin.user_agent and "\n" not in origin.user_agent
    assert len(origin.user_agent) == 255
    assert request_origin(None).ip_address is None
