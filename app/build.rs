//! `sqlx::migrate!` embeds the migrations when the crate compiles; without this, adding a
//! migration file alone would not rebuild it, and the new migration would silently not run.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
