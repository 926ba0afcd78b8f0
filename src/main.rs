mod import_filter;
fn main() {}
