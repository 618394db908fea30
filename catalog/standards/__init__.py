"""The standards as data: `load_standards()` reads, meta-checks, compiles and caches them once."""
from catalog.standards.loader import StandardsError, default_standards_dir, load_standards, standards_dir
from catalog.standards.model import Standards

__all__ = ["Standards", "StandardsError", "default_standards_dir", "load_standards", "standards_dir"]
