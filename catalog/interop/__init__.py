"""Interop: the Excel catalogue template, DCAT-US import/export, DCAT-AP export, YAML-tree export.

Public names: `parse_dcat_us`, `to_dcat_us`, `to_dcat_ap`, `write_template`, `read_xlsx`, `write_xlsx`,
`write_yaml_tree`, `run_import` (catalog.interop.imports). Nothing here imports api/ or cli/.
"""
