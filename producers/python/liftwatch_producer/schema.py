"""Optional validation against liftwatch's committed JSON Schemas (schemas/*.schema.json), with the
``jsonschema`` package (Draft 2020-12 with a FormatChecker). Not needed to build or publish messages."""
import json
import pathlib

SCHEMA_FILES = {
    "Baseline": "baseline.schema.json",
    "PredictionBatch": "prediction-batch.schema.json",
    "OutcomeBatch": "outcome-batch.schema.json",
    "CampaignResults": "campaign-results.schema.json",
    "UpliftBatch": "uplift-batch.schema.json",
    "FeatureBaseline": "feature-baseline.schema.json",
    "FeatureBatch": "feature-batch.schema.json",
}

#: The schemas of this repository; pass schema_dir for a copy elsewhere.
DEFAULT_SCHEMA_DIR = pathlib.Path(__file__).resolve().parents[3] / "schemas"

_validators = {}


def validator(kind, schema_dir=DEFAULT_SCHEMA_DIR):
    from jsonschema import Draft202012Validator, FormatChecker

    path = pathlib.Path(schema_dir) / SCHEMA_FILES[kind]
    if path not in _validators:
        schema = json.loads(path.read_text("utf-8"))
        Draft202012Validator.check_schema(schema)
        _validators[path] = Draft202012Validator(schema, format_checker=FormatChecker())
    return _validators[path]


def schema_errors(message, schema_dir=DEFAULT_SCHEMA_DIR):
    """The JSON Schema errors of a Message (its published bytes, parsed again), as "path: reason" strings."""
    instance = json.loads(message.data)
    errors = validator(message.kind, schema_dir).iter_errors(instance)
    return [f"{error.json_path}: {error.message[:200]}" for error in errors]
