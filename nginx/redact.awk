# NGINX's error log, with no credential: NGINX writes the raw request line (and the upstream URL)
# into its error messages, which no setting changes. bin/stack and docker-compose pipe the error log
# through this filter. The same rules, in the same order, as nginx/chat-log.js for the access log
# (whatever follows /applications/, access_token values, JWT-shaped strings, 22-character token
# words); portable awk (mawk too: no interval expressions, no gensub).
function words(line,    out) {
    out = ""
    while (match(line, /[A-Za-z0-9_-]+/)) {
        out = out substr(line, 1, RSTART - 1) (RLENGTH == 22 ? "<token>" : substr(line, RSTART, RLENGTH))
        line = substr(line, RSTART + RLENGTH)
    }
    return out line
}
{
    gsub(/\/[Aa][Pp][Pp][Ll][Ii][Cc][Aa][Tt][Ii][Oo][Nn][Ss]\/[^\/?; "]+/, "/applications/<token>")
    gsub(/[Aa][Cc][Cc][Ee][Ss][Ss]_[Tt][Oo][Kk][Ee][Nn]=[^&; "]*/, "access_token=<redacted>")
    gsub(/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/, "<jwt>")
    print words($0)
    fflush()
}
