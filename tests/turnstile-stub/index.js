// A stand-in for Cloudflare Turnstile's siteverify, bound to the worker as TURNSTILE in tests
// only: the token "pass" verifies, anything else does not; "down" makes the stub fail.
export default {
  async fetch(request) {
    let body = {};
    try {
      body = await request.json();
    } catch (e) {}
    if (body.response === "down") return new Response("unavailable", { status: 503 });
    const success = body.response === "pass" && typeof body.secret === "string" && body.secret.length > 0;
    return Response.json({ success, "error-codes": success ? [] : ["invalid-input-response"] });
  },
};
