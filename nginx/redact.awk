# NGINX's error log, with no credential: NGINX writes the raw request line (and the upstream URL)
# into its error messages, which no setting changes. bin/stack and docker-compose pipe the error log
# through this filter. Same rules as the access log (chat-http.conf): the segment after
# /applications/ and any access_token value are replaced.
{
    gsub(/\/[Aa][Pp][Pp][Ll][Ii][Cc][Aa][Tt][Ii][Oo][Nn][Ss]\/[^\/?; "]+/, "/applications/<token>")
    gsub(/[Aa][Cc][Cc][Ee][Ss][Ss]_[Tt][Oo][Kk][Ee][Nn]=[^&; "]*/, "access_token=<redacted>")
    print
    fflush()
}
