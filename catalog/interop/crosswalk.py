"""The DCAT-US 1.1 / DCAT-AP ⇄ mulu core-metadata crosswalk, as data (documented in docs/crosswalk.md)."""
from __future__ import annotations

# accessLevel → (share.type, open.to_public). Conditions come from `rights` (see dcat_us.py).
# Export: open.to_public → public; else 有条件共享 → restricted public; else non-public (dcat_us.access_level_of).
ACCESS_LEVEL: dict[str, tuple[str, bool]] = {
    "public": ("无条件共享", True),
    "restricted public": ("有条件共享", False),
    "non-public": ("不予共享", False),
}
OPEN_CONDITION_PUBLIC = "依据 DCAT-US accessLevel=public 向社会无条件开放"

# accrualPeriodicity (ISO 8601 repeating duration) → update_cycle. Exact matches first.
PERIODICITY: dict[str, str] = {
    "R/PT1S": "实时", "continuous": "实时", "R/PT1H": "实时", "R/PT1M": "实时",
    "R/P1D": "每日", "R/P0.5W": "每周", "R/P3.5D": "每周",
    "R/P1W": "每周", "R/P0.33W": "每周", "R/P2W": "每月", "R/P0.5M": "每月",
    "R/P1M": "每月", "R/P0.33M": "每月", "R/P2M": "每季度",
    "R/P3M": "每季度", "R/P4M": "每半年",
    "R/P6M": "每半年",
    "R/P1Y": "每年", "R/P2Y": "每年", "R/P3Y": "每年", "R/P4Y": "每年", "R/P10Y": "每年",
    "irregular": "不定期",
}
# Values that are mapped to the nearest cycle (a warning finding says so).
PERIODICITY_NEAREST: frozenset[str] = frozenset({
    "R/PT1H", "R/PT1M", "R/P0.5W", "R/P3.5D", "R/P0.33W", "R/P2W", "R/P0.5M", "R/P0.33M", "R/P2M",
    "R/P4M", "R/P2Y", "R/P3Y", "R/P4Y", "R/P10Y",
})
# Missing accrualPeriodicity → 不定期 with a warning.
DEFAULT_UPDATE_CYCLE = "不定期"

# update_cycle → DCAT-US accrualPeriodicity (the code list's iso8601 column) and EU frequency URIs.
CYCLE_TO_ISO: dict[str, str] = {
    "实时": "R/PT1S", "每日": "R/P1D", "每周": "R/P1W", "每月": "R/P1M",
    "每季度": "R/P3M", "每半年": "R/P6M", "每年": "R/P1Y", "不定期": "irregular",
}
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
CYCLE_TO_EU_FREQUENCY: dict[str, str] = {
    "实时": EU_FREQUENCY + "UPDATE_CONT", "每日": EU_FREQUENCY + "DAILY", "每周": EU_FREQUENCY + "WEEKLY",
    "每月": EU_FREQUENCY + "MONTHLY", "每季度": EU_FREQUENCY + "QUARTERLY",
    "每半年": EU_FREQUENCY + "ANNUAL_2", "每年": EU_FREQUENCY + "ANNUAL", "不定期": EU_FREQUENCY + "IRREG",
}

# distribution mediaType (lower case, parameters dropped) → (format.category, format.type).
MEDIA_TYPES: dict[str, tuple[str, str]] = {
    "text/csv": ("电子表格", "csv"),
    "application/csv": ("电子表格", "csv"),
    "application/vnd.ms-excel": ("电子表格", "xls"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("电子表格", "xlsx"),
    "application/vnd.oasis.opendocument.spreadsheet": ("电子表格", "ods"),
    "application/pdf": ("电子文件", "pdf"),
    "application/msword": ("电子文件", "doc"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("电子文件", "docx"),
    "text/plain": ("电子文件", "txt"),
    "text/html": ("电子文件", "html"),
    "application/xhtml+xml": ("电子文件", "html"),
    "application/rtf": ("电子文件", "rtf"),
    "application/json": ("自描述格式", "json"),
    "text/json": ("自描述格式", "json"),
    "application/xml": ("自描述格式", "xml"),
    "text/xml": ("自描述格式", "xml"),
    "application/rdf+xml": ("自描述格式", "rdf"),
    "application/geo+json": ("自描述格式", "geojson"),
    "application/vnd.geo+json": ("自描述格式", "geojson"),
    "application/vnd.google-earth.kml+xml": ("自描述格式", "xml"),
    "application/x-yaml": ("自描述格式", "yaml"),
    "image/jpeg": ("图形图像", "jpg"),
    "image/png": ("图形图像", "png"),
    "image/tiff": ("图形图像", "tif"),
    "image/gif": ("图形图像", "gif"),
    "image/svg+xml": ("图形图像", "svg"),
    "video/mp4": ("流媒体", "mp4"),
    "audio/mpeg": ("流媒体", "mp3"),
}
# distribution `format` (lower case) when mediaType is missing or unknown.
FORMAT_NAMES: dict[str, tuple[str, str]] = {
    "csv": ("电子表格", "csv"), "zipped csv": ("电子表格", "csv"),
    "xls": ("电子表格", "xls"), "xlsx": ("电子表格", "xlsx"), "excel": ("电子表格", "xls"),
    "microsoft excel": ("电子表格", "xls"), "microsoft excel document": ("电子表格", "xls"),
    "microsoft excel file": ("电子表格", "xls"),
    "pdf": ("电子文件", "pdf"), "html": ("电子文件", "html"), "web page": ("电子文件", "html"),
    "txt": ("电子文件", "txt"), "text": ("电子文件", "txt"),
    "json": ("自描述格式", "json"), "xml": ("自描述格式", "xml"), "geojson": ("自描述格式", "geojson"),
    "kml": ("自描述格式", "xml"), "rdf": ("自描述格式", "rdf"),
    "api": ("服务接口", "rest"), "esri rest": ("服务接口", "rest"), "rest": ("服务接口", "rest"),
    "soap": ("服务接口", "soap"), "data explorer": ("电子文件", "html"),
}
# format.category/type → DCAT-US mediaType on export.
TYPE_TO_MEDIA: dict[str, str] = {
    "csv": "text/csv", "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet", "pdf": "application/pdf",
    "doc": "application/msword", "txt": "text/plain", "html": "text/html", "json": "application/json",
    "xml": "application/xml", "rdf": "application/rdf+xml", "geojson": "application/geo+json",
    "yaml": "application/x-yaml", "jpg": "image/jpeg", "png": "image/png", "tif": "image/tiff",
    "gif": "image/gif", "svg": "image/svg+xml", "mp4": "video/mp4", "mp3": "audio/mpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "rtf": "application/rtf",
}

# Preference when a dataset has several distributions: the resource's format is taken from the
# distribution whose category ranks first (an API serves the whole dataset; a web page is a last resort).
CATEGORY_PREFERENCE: tuple[str, ...] = ("服务接口", "数据库", "自描述格式", "电子表格", "图形图像", "流媒体", "电子文件")

# Default share method for imported DCAT datasets: through the sharing platform.
SHARE_METHOD_CATEGORY = "共享平台"

# Classification heuristic: the first class-2 theme (项+目) whose English or Chinese words occur in the
# dataset's keywords, themes or title. Order matters: more specific first.
THEME_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("202004", ("disease", "epidemic", "vaccin", "immuniz", "疾病", "疫情")),
    ("202001", ("health", "hospital", "medical", "clinic", "卫生", "医疗", "健康")),
    ("203001", ("social security", "insurance", "pension", "medicare", "社会保险", "社保")),
    ("203002", ("welfare", "assistance", "poverty", "救助")),
    ("203005", ("housing", "住房")),
    ("204001", ("food", "nutrition", "食品")),
    ("204002", ("drug", "pharmac", "药品")),
    ("205004", ("accident", "fatalit", "事故")),
    ("205001", ("occupational safety", "workplace safety", "安全生产")),
    ("206001", ("price", "cost of living", "价格")),
    ("207004", ("energy", "electricity", "fuel", "能源", "电力")),
    ("208001", ("credit", "信用")),
    ("211001", ("environment", "air quality", "water quality", "pollution", "emission", "climate", "环境")),
    ("211005", ("ecolog", "wildlife", "conservation", "生态")),
    ("212004", ("disaster", "flood", "earthquake", "hurricane", "wildfire", "灾害")),
    ("212003", ("emergency", "应急")),
    ("209001", ("construction", "infrastructure", "建设")),
    ("210003", ("community", "社区")),
    ("201004", ("transport", "traffic", "transit", "highway", "交通")),
    ("201002", ("employment", "workforce", "job", "labor", "labour", "就业")),
    ("201003", ("culture", "museum", "library", "sport", "arts", "文化", "体育")),
    ("201001", ("education", "school", "student", "teacher", "college", "universit", "postsecondary",
                "literacy", "assessment", "教育", "学校")),
)
DEFAULT_CLASSIFICATION = "201005"  # 主题 / 公共服务 / 政务办事服务

# Region of generated department codes (the seed city) and the first department number used.
DEFAULT_REGION = "330782"
FIRST_GENERATED_DEPARTMENT_NUMBER = 501

# DCAT-US export: OMB codes are required by the federal schema but mean nothing for a Chinese catalogue;
# the all-zero placeholders mark them as not applicable. Contact e-mails use the reserved .invalid domain.
PLACEHOLDER_BUREAU_CODE = "000:00"
PLACEHOLDER_PROGRAM_CODE = "000:000"
