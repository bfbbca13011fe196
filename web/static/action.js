// The portal scripts' one way to call the Action API: GET /api/3/action/NAME?params resolves to
// the action's result, or rejects with the server's own message. A 503 means the answer is being
// prepared (the data map's first build, the map at a glance's first computation): it is asked
// again after the server's Retry-After, a few times, instead of showing an error.
(function () {
  "use strict";
  var tries = 6;
  function wait(seconds) {
    return new Promise(function (resolve) { setTimeout(resolve, seconds * 1000); });
  }
  function call(name, params, left) {
    var query = new URLSearchParams(params || {}).toString();
    return fetch("/api/3/action/" + name + (query ? "?" + query : ""), { headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.status === 503 && left > 1) {
          var seconds = Math.min(Math.max(Number(r.headers.get("Retry-After")) || 2, 1), 30);
          return wait(seconds).then(function () { return call(name, params, left - 1); });
        }
        return r.json().then(function (body) {
          if (!body || !body.success) {
            throw new Error(body && body.error && body.error.message ? body.error.message : name + " failed");
          }
          return body.result;
        });
      });
  }
  window.datamapAction = function (name, params) { return call(name, params, tries); };
})();
