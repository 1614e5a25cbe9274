// vtl-apigw as an ES module: the same module instance as the CommonJS entry (index.cjs).
import vtl from "./index.cjs";

export const {
  render,
  compile,
  Template,
  check,
  tokens,
  ast,
  normalizeRequest,
  version,
  loadApi,
  Api,
  compareBody,
  VtlError,
  ApiError,
} = vtl;
