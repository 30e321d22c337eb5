pub fn handout_schema() -> serde_json::Value {
    serde_json::json!({})
}
