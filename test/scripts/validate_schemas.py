"""Validates messages against schemas/*.schema.json as a Python producer would: Draft 2020-12 with a FormatChecker.

Reads JSON lines on stdin, each {"schema": "<file in schemas/>", "data": "<message text>"}, and writes one JSON
line per message: {"parsed": bool, "valid": bool, "errors": [...]}. The message text is parsed by Python's
json.loads with its defaults (it reads NaN and Infinity), as a producer's json.dumps would have written it.
Exits 3 when jsonschema is not installed (Debian: python3-jsonschema).
"""
import json
import pathlib
import sys

try:
    from jsonschema import Draft202012Validator, FormatChecker
except ImportError:
    sys.exit(3)

SCHEMAS = pathlib.Path(__file__).resolve().parents[2] / "schemas"
validators = {}


def validator(name):
    if name not in validators:
        schema = json.loads((SCHEMAS / name).read_text("utf-8"))
        Draft202012Validator.check_schema(schema)
        validators[name] = Draft202012Validator(schema, format_checker=FormatChecker())
    return validators[name]


for line in sys.stdin:
    request = json.loads(line)
    try:
        message = json.loads(request["data"])
    except (ValueError, RecursionError) as error:
        print(json.dumps({"parsed": False, "valid": False, "errors": [str(error)[:200]]}), flush=True)
        continue
    errors = [f"{error.json_path}: {error.message[:200]}" for error in validator(request["schema"]).iter_errors(message)]
    print(json.dumps({"parsed": True, "valid": not errors, "errors": errors[:5]}), flush=True)
