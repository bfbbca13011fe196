// Starts Swagger UI (npm swagger-ui-dist, served from /static/vendor/swagger-ui/) on the page
// /api/docs, over the OpenAPI document that page names in data-spec-url.
window.addEventListener('load', function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: root.getAttribute('data-spec-url'),
    dom_id: '#swagger-ui',
    deepLinking: true,
    tryItOutEnabled: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
