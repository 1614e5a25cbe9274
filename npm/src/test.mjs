// vtl-apigw/test as an ES module: the same module instance as test.cjs.
import helpers from "./test.cjs";

export const { assertRenders, assertBody, renderJson, checkRender, checkBody, matchers } = helpers;
