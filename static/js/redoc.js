// Starts Redoc (/api/redoc/, templates/drf_spectacular/redoc.html) under the site's
// Content-Security-Policy, which allows no inline script or style and no other host:
//
//   <div id="redoc-container"></div>
//   <script src="…/redoc.standalone.js"></script>
//   <script src="…/js/redoc.js" nonce="…" data-schema-url="/api/schema/" data-settings="{…}"></script>
//
// - Redoc's styles are <style> elements (styled-components): they carry the request's nonce,
//   handed to Redoc as its `nonce` option from this script element's own nonce.
// - Redoc's sidebar shows its makers' logo from cdn.redoc.ly, which the policy blocks (a violation
//   and a broken image): that address is given to the image (React sets its src property) as empty instead, so nothing is
//   requested and Redoc drops the image (its error handler), keeping the "API docs by Redocly" link.
(function () {
  "use strict";
  var script = document.currentScript;
  var container = document.getElementById("redoc-container");
  if (!script || !container || typeof Redoc === "undefined") {
    return;
  }
  var REMOTE_LOGO = "https://cdn.redoc.ly/";
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) {
      src.set.call(this, String(value).indexOf(REMOTE_LOGO) === 0 ? "" : value);
    },
  });
  var options = script.dataset.settings ? JSON.parse(script.dataset.settings) : {};
  options.nonce = script.nonce;
  Redoc.init(script.dataset.schemaUrl, options, container);
})();
