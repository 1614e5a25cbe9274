# Sourced by scripts/build-wasm and scripts/test-wasm: the cargo profile `wasm`, sized for
# download: the release settings with opt-level "z", fat LTO and one codegen unit (about 25 %
# smaller gzipped than the plain release profile, and somewhat slower). Defined here so that
# nothing else changes; the tests use it too, so they reuse what the build compiled.
export CARGO_PROFILE_WASM_INHERITS=release CARGO_PROFILE_WASM_OPT_LEVEL=z \
    CARGO_PROFILE_WASM_LTO=fat CARGO_PROFILE_WASM_CODEGEN_UNITS=1
