// The one place that names the vendored lit-html version (web/vendor.json pins it; a test
// checks this path against the manifest). Everything else imports from here.
export { html, nothing, render, svg } from "../../vendor/lit-html@3.3.3/lit-html.js";
export { repeat } from "../../vendor/lit-html@3.3.3/directives/repeat.js";
export { live } from "../../vendor/lit-html@3.3.3/directives/live.js";
export { ref, createRef } from "../../vendor/lit-html@3.3.3/directives/ref.js";
export { classMap } from "../../vendor/lit-html@3.3.3/directives/class-map.js";
export { ifDefined } from "../../vendor/lit-html@3.3.3/directives/if-defined.js";
