"""Settings from one place: environment variables `MULU_*`, with defaults for the embedded mode.

Built by `get_settings()` (never at import time) so that tests can point anything at a temporary
database or a real search engine by passing their own `Settings`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from collections.abc import Mapping
from pathlib import Path

# name, default, help: one table feeds the server, the CLI and the docs.
SETTINGS_TABLE: list[tuple[str, str, str]] = [
    ("MULU_DATA_DIR", "~/.local/share/mulu", "数据目录 where the embedded SQLite database lives"),
    ("MULU_DATABASE_URL", "", "SQLAlchemy URL of the database; empty = SQLite file in MULU_DATA_DIR"),
    ("MULU_ELASTICSEARCH_URL", "", "Elasticsearch URL; empty = the embedded search backend"),
    ("MULU_ELASTICSEARCH_INDEX", "mulu-resources", "alias of the search index"),
    ("MULU_STANDARDS_DIR", "", "folder of the standards; empty = the standards shipped with mulu"),
    ("MULU_SEED_DIR", "", "folder of the seed catalogue; empty = the seed shipped with mulu"),
    ("MULU_MAX_BODY_BYTES", "2000000", "largest request body the API accepts"),
    ("MULU_CALENDAR", "", "YAML working-day calendar; empty = the one shipped in standards/"),
    ("MULU_LEVEL", "county", "本级层级 this instance's level: county | city | province | national (目录级联)"),
    ("MULU_REGION", "330782", "本级行政区划代码 this instance's GB/T 2260 division code"),
    ("MULU_UPSTREAM_URL", "", "上级目录 URL of the next level up (目录上报 / 回流); empty = no upstream"),
    ("MULU_UPSTREAM_TOKEN", "", "上级签发的令牌 the credential the upstream issued (role downstream)"),
    ("MULU_RETURN_CLASSIFICATIONS", "", "回流订阅：上级目录的分类代码前缀，逗号分隔 (e.g. 101,204001)"),
    ("MULU_CASCADE_INTERVAL", "10", "级联工作线程间隔秒数 seconds between cascade rounds in mulu serve; 0 = off"),
    ("MULU_TIMEZONE", "Asia/Shanghai", "time zone of the times shown on pages and in the terminal (stored: UTC)"),
    # 统一身份认证 (OpenID Connect): sign-in is offered when issuer, client id and claims map are all set
    ("MULU_OIDC_ISSUER", "", "统一身份认证 issuer URL (its /.well-known/openid-configuration is read); empty = off"),
    ("MULU_OIDC_CLIENT_ID", "", "mulu 在身份认证平台注册的 client id"),
    ("MULU_OIDC_CLIENT_SECRET", "", "client secret (client_secret_basic)"),
    ("MULU_OIDC_SCOPES", "openid profile", "scopes requested at sign-in, space-separated"),
    ("MULU_OIDC_AUDIENCE", "", "API 接受的访问令牌 aud; empty = the client id"),
    ("MULU_OIDC_CLAIMS_MAP", "", "YAML 映射表: claims → role and department (see README)"),
    ("MULU_OIDC_BUTTON", "使用统一身份认证登录", "登录页按钮文字 the sign-in button's label"),
    ("MULU_OIDC_REDIRECT_URI", "", "callback URL registered at the provider; empty = this server's /auth/oidc/callback"),
    ("MULU_OIDC_ALGORITHMS", "RS256,PS256,ES256", "accepted JWT signature algorithms (asymmetric only)"),
    ("MULU_OIDC_LEEWAY", "30", "seconds of clock skew allowed on exp / nbf / iat"),
]


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=lambda: Path("~/.local/share/mulu").expanduser())
    database_url: str = ""
    elasticsearch_url: str = ""
    elasticsearch_index: str = "mulu-resources"
    standards_dir: Path | None = None
    seed_dir: Path | None = None
    max_body_bytes: int = 2_000_000
    calendar_path: Path | None = None
    level: str = "county"
    region: str = "330782"
    upstream_url: str = ""
    upstream_token: str = ""
    return_classifications: tuple[str, ...] = ()
    cascade_interval: float = 10.0
    timezone: str = "Asia/Shanghai"
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_scopes: str = "openid profile"
    oidc_audience: str = ""
    oidc_claims_map: Path | None = None
    oidc_button: str = "使用统一身份认证登录"
    oidc_redirect_uri: str = ""
    oidc_algorithms: tuple[str, ...] = ("RS256", "PS256", "ES256")
    oidc_leeway: int = 30

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'mulu.db'}"


def get_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env

    def opt_path(name: str) -> Path | None:
        value = env.get(name, "").strip()
        return Path(value).expanduser() if value else None

    return Settings(
        data_dir=Path(env.get("MULU_DATA_DIR") or "~/.local/share/mulu").expanduser(),
        database_url=env.get("MULU_DATABASE_URL", "").strip(),
        elasticsearch_url=env.get("MULU_ELASTICSEARCH_URL", "").strip(),
        elasticsearch_index=env.get("MULU_ELASTICSEARCH_INDEX", "").strip() or "mulu-resources",
        standards_dir=opt_path("MULU_STANDARDS_DIR"),
        seed_dir=opt_path("MULU_SEED_DIR"),
        max_body_bytes=int(env.get("MULU_MAX_BODY_BYTES") or 2_000_000),
        calendar_path=opt_path("MULU_CALENDAR"),
        level=env.get("MULU_LEVEL", "").strip() or "county",
        region=env.get("MULU_REGION", "").strip() or "330782",
        upstream_url=env.get("MULU_UPSTREAM_URL", "").strip().rstrip("/"),
        upstream_token=env.get("MULU_UPSTREAM_TOKEN", "").strip(),
        return_classifications=tuple(p.strip() for p in env.get("MULU_RETURN_CLASSIFICATIONS", "").split(",")
                                     if p.strip()),
        cascade_interval=float(env.get("MULU_CASCADE_INTERVAL") or 10),
        timezone=env.get("MULU_TIMEZONE", "").strip() or "Asia/Shanghai",
        oidc_issuer=env.get("MULU_OIDC_ISSUER", "").strip(),  # exactly as in the tokens' iss
        oidc_client_id=env.get("MULU_OIDC_CLIENT_ID", "").strip(),
        oidc_client_secret=env.get("MULU_OIDC_CLIENT_SECRET", "").strip(),
        oidc_scopes=env.get("MULU_OIDC_SCOPES", "").strip() or "openid profile",
        oidc_audience=env.get("MULU_OIDC_AUDIENCE", "").strip(),
        oidc_claims_map=opt_path("MULU_OIDC_CLAIMS_MAP"),
        oidc_button=env.get("MULU_OIDC_BUTTON", "").strip() or "使用统一身份认证登录",
        oidc_redirect_uri=env.get("MULU_OIDC_REDIRECT_URI", "").strip(),
        oidc_algorithms=tuple(a.strip() for a in (env.get("MULU_OIDC_ALGORITHMS") or "RS256,PS256,ES256").split(",")
                              if a.strip()),
        oidc_leeway=int(env.get("MULU_OIDC_LEEWAY") or 30),
    )
