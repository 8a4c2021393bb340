// The request line as the access log writes it ($chat_loggable_request, chat-http.conf), with no
// credential in it. The same rules, in the same order, as nginx/redact.awk for the error log:
// whatever follows /applications/ (an application's secret token, even a mistyped one), any
// access_token value, anything shaped like a JWT, and any word of exactly 22 token characters (an
// application token wherever it was put) are replaced, every occurrence. A credential that a client
// percent-encoded is not decoded first: only its raw form is recognised.
function loggableRequest(r) {
    return r.variables.request
        .replace(/\/applications\/[^\/?; "]+/gi, '/applications/<token>')
        .replace(/access_token=[^&; "]*/gi, 'access_token=<redacted>')
        .replace(/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g, '<jwt>')
        .replace(/(^|[^A-Za-z0-9_-])[A-Za-z0-9_-]{22}(?![A-Za-z0-9_-])/g, '$1<token>');
}

export default {loggableRequest};
