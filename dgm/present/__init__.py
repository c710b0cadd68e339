"""Presentation: assessments and series → charts, tables, terminal tables, notebook figures and
records, report pages, the landing page, the workbook export and the scenario explorer.

May import: the root modules, dgm.data, dgm.engine and this layer; never dgm.run or dgm.cli.
"""
