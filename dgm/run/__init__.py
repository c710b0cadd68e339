"""Runs: `dgm report` (notebooks executed into pages, figures, workbook), its output directory,
benchmarks, the chart gallery and the headless browser they drive.

May import: every layer below (root, dgm.data, dgm.engine, dgm.present) and this one; never dgm.cli.
"""
