"""Python values ↔ bytes of an .npz archive, in a format that cannot run code (no pickle).

What the results store keeps (dgm.data.results_store): frames, series and indexes with their dtypes,
numpy arrays and scalars, records (dict, list, tuple, set, str, int, float, bool, None, dates,
pandas' NA and NaT) and dataclasses of the dgm package (an Assessment with its judged series and
forecast). The structure is a JSON tree in the archive's member `__tree__`; every numeric array
is a member of its own, read back with `allow_pickle=False`. Reading builds only these types:
a dataclass is named by module and class and must be a dataclass defined in the dgm package, so
an edited file can at worst hold wrong numbers, never make code run. Values round-trip exactly
(floats by their shortest repr, arrays bit for bit, dtypes and index types kept).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import io
import json
from typing import Any

import numpy as np

TREE = "__tree__"  # the archive member holding the JSON structure
PACKAGE = "dgm"  # dataclasses are rebuilt only from this package's modules


class CodecError(ValueError):
    """A value that cannot be stored, or an archive that is not one this module wrote."""


def dumps(value) -> bytes:
    """The .npz bytes of `value` (CodecError names a type that cannot be stored)."""
    arrays: dict[str, np.ndarray] = {}
    tree = _encode(value, arrays)
    text = json.dumps(tree, ensure_ascii=False, allow_nan=True, separators=(",", ":"))
    arrays[TREE] = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]  # numpy's stub lets **kwds meet allow_pickle: bool
    return buffer.getvalue()


def loads(data: bytes):
    """The value whose dumps() gave `data`; CodecError for anything else."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        tree = json.loads(arrays.pop(TREE).tobytes().decode("utf-8"))
        return _decode(tree, arrays)
    except CodecError:
        raise
    except Exception as err:  # a damaged or foreign file: numpy, zipfile and json raise many types
        raise CodecError(f"not a results file ({type(err).__name__}: {err})") from None


# ---- encoding ---------------------------------------------------------------------------------


def _array(values: np.ndarray, arrays: dict) -> str:
    """Keep a non-object numpy array as an archive member; its member name."""
    name = f"a{len(arrays)}"
    arrays[name] = np.ascontiguousarray(values)
    return name


def _encode(value, arrays: dict):
    """The JSON tree of `value` (arrays added to `arrays`)."""
    import pandas as pd

    if value is None or isinstance(value, bool | str):
        return value
    if type(value) in (int, float):
        return value
    if value is pd.NA:
        return {"$na": None}
    if value is pd.NaT:
        return {"$nat": None}
    if isinstance(value, np.generic):
        if value.dtype.kind in "biuf":
            return {"$np": value.dtype.str, "v": value.item()}
        return {"$np0": _array(np.asarray(value), arrays)}
    if isinstance(value, pd.Timestamp):
        return {"$timestamp": value.isoformat()}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, list):
        return [_encode(v, arrays) for v in value]
    if isinstance(value, tuple) and type(value) is tuple:
        return {"$tuple": [_encode(v, arrays) for v in value]}
    if isinstance(value, set | frozenset):
        tag = "$set" if isinstance(value, set) else "$frozenset"
        return {tag: [_encode(v, arrays) for v in value]}
    if isinstance(value, dict) and type(value) is dict:
        return {"$dict": [[_encode(k, arrays), _encode(v, arrays)] for k, v in value.items()]}
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "O":
            return {"$objects": [_encode(v, arrays) for v in value.ravel()], "shape": value.shape}
        return {"$array": _array(value, arrays)}
    if isinstance(value, pd.DataFrame):
        return {
            "$frame": {
                "index": _encode(value.index, arrays),
                "columns": _encode(value.columns, arrays),
                "data": [_values(value.iloc[:, i], arrays) for i in range(value.shape[1])],
                "attrs": _encode(dict(value.attrs), arrays),
            }
        }
    if isinstance(value, pd.Series):
        return {
            "$series": {
                "index": _encode(value.index, arrays),
                "values": _values(value, arrays),
                "name": _encode(value.name, arrays),
                "attrs": _encode(dict(value.attrs), arrays),
            }
        }
    if isinstance(value, pd.RangeIndex):
        return {
            "$range": [value.start, value.stop, value.step],
            "name": _encode(value.name, arrays),
        }
    if isinstance(value, pd.MultiIndex):
        return {
            "$multi": {
                "levels": [_encode(level, arrays) for level in value.levels],
                "codes": [_array(np.asarray(c), arrays) for c in value.codes],
                "names": [_encode(n, arrays) for n in value.names],
            }
        }
    if isinstance(value, pd.Index):
        return {"$index": {"values": _values(value, arrays), "name": _encode(value.name, arrays)}}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        if cls.__module__.split(".")[0] != PACKAGE:
            raise CodecError(f"cannot store {cls.__module__}.{cls.__qualname__} (not a dgm type)")
        fields = [
            [f.name, _encode(getattr(value, f.name), arrays)] for f in dataclasses.fields(value)
        ]
        return {"$dataclass": f"{cls.__module__}:{cls.__qualname__}", "fields": fields}
    raise CodecError(f"cannot store a {type(value).__module__}.{type(value).__qualname__}")


def _values(values, arrays: dict) -> dict:
    """The values of a Series or Index with their dtype: a numpy array as an archive member,
    a categorical as codes and categories, anything else element by element."""
    import pandas as pd

    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        cat = values.array
        return {
            "category": {
                "codes": _array(np.asarray(cat.codes), arrays),
                "categories": _encode(cat.categories, arrays),
                "ordered": bool(cat.ordered),
            }
        }
    if isinstance(dtype, np.dtype) and dtype.kind != "O":
        return {"dtype": dtype.str, "array": _array(values.to_numpy(), arrays)}
    return {"dtype": str(dtype), "items": [_encode(v, arrays) for v in values.array]}


# ---- decoding ---------------------------------------------------------------------------------


def _member(arrays: dict, name) -> np.ndarray:
    """An archive member by name (CodecError when missing)."""
    if not isinstance(name, str) or name not in arrays:
        raise CodecError(f"missing array {name!r}")
    return arrays[name]


def _decode(tree, arrays: dict):
    """The value of a JSON tree written by _encode."""
    import pandas as pd

    if tree is None or isinstance(tree, bool | str | int | float):
        return tree
    if isinstance(tree, list):
        return [_decode(v, arrays) for v in tree]
    if not isinstance(tree, dict) or not tree:
        raise CodecError("not a results tree")
    tag = next(iter(tree))
    body = tree[tag]
    if tag == "$na":
        return pd.NA
    if tag == "$nat":
        return pd.NaT
    if tag == "$np":
        return np.dtype(_plain_dtype(body)).type(tree["v"])
    if tag == "$np0":
        return _member(arrays, body)[()]
    if tag == "$timestamp":
        return pd.Timestamp(body)
    if tag == "$datetime":
        return dt.datetime.fromisoformat(body)
    if tag == "$date":
        return dt.date.fromisoformat(body)
    if tag == "$tuple":
        return tuple(_decode(v, arrays) for v in body)
    if tag in ("$set", "$frozenset"):
        items = (_decode(v, arrays) for v in body)
        return set(items) if tag == "$set" else frozenset(items)
    if tag == "$dict":
        return {_decode(k, arrays): _decode(v, arrays) for k, v in body}
    if tag == "$array":
        return _member(arrays, body)
    if tag == "$objects":
        objects = [_decode(v, arrays) for v in body]
        out = np.empty(len(objects), dtype=object)
        for i, item in enumerate(objects):
            out[i] = item
        return out.reshape(tuple(tree["shape"]))
    if tag == "$frame":
        columns = [_decoded_values(v, arrays) for v in body["data"]]
        index = _decode(body["index"], arrays)
        # Series of the stated dtype first (pandas would infer str for an object column of text)
        frame = pd.DataFrame(
            {i: pd.Series(c, dtype=c.dtype, copy=False) for i, c in enumerate(columns)},
            index=pd.RangeIndex(len(index)),
        )
        frame.index = index
        frame.columns = _decode(body["columns"], arrays)
        frame.attrs = _decode(body["attrs"], arrays)
        return frame
    if tag == "$series":
        values = _decoded_values(body["values"], arrays)
        series = pd.Series(
            values,
            dtype=values.dtype,
            index=_decode(body["index"], arrays),
            name=_decode(body["name"], arrays),
            copy=False,
        )
        series.attrs = _decode(body["attrs"], arrays)
        return series
    if tag == "$range":
        start, stop, step = body
        return pd.RangeIndex(start, stop, step, name=_decode(tree["name"], arrays))
    if tag == "$multi":
        return pd.MultiIndex(
            levels=[_decode(level, arrays) for level in body["levels"]],
            codes=[_member(arrays, c) for c in body["codes"]],
            names=[_decode(n, arrays) for n in body["names"]],
        )
    if tag == "$index":
        values = _decoded_values(body["values"], arrays)
        return pd.Index(values, dtype=values.dtype, name=_decode(body["name"], arrays), copy=False)
    if tag == "$dataclass":
        return _dataclass(body, tree["fields"], arrays)
    raise CodecError(f"unknown tag {tag!r}")


def _plain_dtype(text) -> str:
    """A numpy dtype string of a bool, integer or float scalar (nothing else is read inline)."""
    if not isinstance(text, str) or np.dtype(text).kind not in "biuf":
        raise CodecError(f"not a numeric dtype: {text!r}")
    return text


def _decoded_values(tree: dict, arrays: dict):
    """Values written by _values: a numpy array, a Categorical, or an array of `dtype`."""
    import pandas as pd

    if "category" in tree:
        body = tree["category"]
        return pd.Categorical.from_codes(
            _member(arrays, body["codes"]),
            categories=_decode(body["categories"], arrays),
            ordered=bool(body["ordered"]),
        )
    if "array" in tree:
        return _member(arrays, tree["array"])
    items = [_decode(v, arrays) for v in tree["items"]]
    dtype = pd.api.types.pandas_dtype(tree["dtype"])
    if dtype == np.dtype(object):
        out = np.empty(len(items), dtype=object)
        for i, item in enumerate(items):
            out[i] = item
        return out
    return pd.array(items, dtype=dtype)


def _dataclass(name, fields, arrays: dict):
    """A dataclass of the dgm package named "module:qualname", its fields set as written."""
    if not isinstance(name, str) or ":" not in name:
        raise CodecError(f"not a class name: {name!r}")
    module, qualname = name.split(":", 1)
    if module.split(".")[0] != PACKAGE:
        raise CodecError(f"{name} is not a dgm type")
    cls: Any = importlib.import_module(module)
    for part in qualname.split("."):
        cls = getattr(cls, part, None)
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise CodecError(f"{name} is not a dgm dataclass")
    names = [f.name for f in dataclasses.fields(cls)]
    given = dict(fields)
    if sorted(given) != sorted(names):
        raise CodecError(f"{name}: fields {sorted(given)} (expected {sorted(names)})")
    obj = cls.__new__(cls)
    for field in names:
        object.__setattr__(obj, field, _decode(given[field], arrays))
    return obj
