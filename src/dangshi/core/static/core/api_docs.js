// Starts Swagger UI for /api/v1/docs (a file, not an inline script: the site's CSP forbids those).
(function () {
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrf = document.body.dataset.csrfToken;
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis];
  if (csrf) {
    config.requestInterceptor = function (req) { req.headers["X-CSRFToken"] = csrf; return req; };
  }
  window.ui = SwaggerUIBundle(config);
})();
