//! Real answers checked against the OpenAPI document the API publishes, so the
//! document cannot promise a shape (a pattern, a required field) the API does not keep.

use serde_json::Value;

/// `Ok` when `body` matches the JSON Schema that `spec` (the API's
/// `/v1/openapi.json`) declares for the answer `status` of `GET template`; else
/// every violation, with where it is in `body`.
pub fn check_answer(spec: &Value, template: &str, status: u16, body: &Value) -> Result<(), String> {
    let response = &spec["paths"][template]["get"]["responses"][status.to_string()];
    let mut schema = response["content"]["application/json"]["schema"].clone();
    if !schema.is_object() {
        return Err(format!(
            "no JSON answer {status} declared for GET {template}"
        ));
    }
    // Standalone: the document's `$ref`s (`#/components/…`) resolve inside it.
    schema["components"] = spec["components"].clone();
    let validator = jsonschema::validator_for(&schema)
        .map_err(|e| format!("GET {template} {status}: not a JSON Schema: {e}"))?;
    let errors: Vec<String> = validator
        .iter_errors(body)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("GET {template} {status}: {errors:#?}\n{body}"))
    }
}
