"""dgm charts (being split by chart family: this step only moves the module)."""

from dgm.charts import fan as _fan

globals().update({k: v for k, v in vars(_fan).items() if not k.startswith("__")})
