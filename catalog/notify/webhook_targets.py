"""Where a webhook may be delivered (SSRF): never to mulu's own machine, the cloud's metadata service or other
addresses no department receiver lives at, unless the operator allows that network.

    refused = refused_target(url, allowed=settings.webhook_allow)   # None, or why (Chinese + English)

Refused by default: loopback (127.0.0.0/8, ::1: mulu itself, its database and search engine), link-local
(169.254.0.0/16, fe80::/10: the metadata service of cloud machines), unspecified, multicast and reserved
addresses. Private networks (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) are allowed: department receivers
live on the government intranet (政务外网). `MULU_NOTIFY_WEBHOOK_ALLOW` lists networks allowed anyway (a
receiver on the same host: `127.0.0.1/32`).

A registered URL whose host is a refused address (or `localhost`) is refused at once (422, /url); a host name
is resolved at each delivery, and every address it resolves to is checked, so a name that later points inside
is refused then. Deliveries do not follow redirects (a 3xx is a failed attempt).
"""
from __future__ import annotations

import ipaddress
import socket
from typing import Iterable
from urllib.parse import urlsplit

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(text: str) -> tuple[Network, ...]:
    """`127.0.0.1/32, ::1` -> networks; ValueError naming the entry that is not one."""
    out = []
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if part:
            try:
                out.append(ipaddress.ip_network(part, strict=False))
            except ValueError as exc:
                raise ValueError(f"MULU_NOTIFY_WEBHOOK_ALLOW: {part!r} 不是网段 (not a network: {exc})") from exc
    return tuple(out)


def refused_address(address: Address, *, allowed: Iterable[Network] = ()) -> str | None:
    """Why `address` may not receive webhooks, or None."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if any(address in net for net in allowed if net.version == address.version):
        return None
    for kind, hit in (("回环地址 loopback", address.is_loopback), ("链路本地地址 link-local", address.is_link_local),
                      ("未指定地址 unspecified", address.is_unspecified), ("组播地址 multicast", address.is_multicast),
                      ("保留地址 reserved", address.is_reserved)):
        if hit:
            return (f"Webhook 不能发往 {address} ({kind}); 如确需, 由运维在 MULU_NOTIFY_WEBHOOK_ALLOW 中放行该网段 "
                    f"(refused: {kind} address)")
    return None


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").strip("[]").lower()


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def refused_at_registration(url: str, *, allowed: Iterable[Network] = ()) -> str | None:
    """A URL whose host is a refused address written out (or `localhost`): refused without any lookup."""
    host = _host(url)
    if host == "localhost" or host.endswith(".localhost"):
        return refused_address(ipaddress.ip_address("127.0.0.1"), allowed=allowed)
    literal = _literal(host)
    return refused_address(literal, allowed=allowed) if literal is not None else None


def refused_target(url: str, *, allowed: Iterable[Network] = ()) -> str | None:
    """Every address the URL's host resolves to now is checked; None when all may receive."""
    allowed = tuple(allowed)
    host = _host(url)
    literal = _literal(host)
    if literal is not None:
        return refused_address(literal, allowed=allowed)
    try:
        infos = socket.getaddrinfo(host, urlsplit(url).port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        return f"Webhook 主机 {host} 无法解析 (cannot resolve: {exc})"
    for info in infos:
        refused = refused_address(ipaddress.ip_address(info[4][0]), allowed=allowed)
        if refused:
            return refused
    return None
