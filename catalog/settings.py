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
    )
