// Header values with a control character (any but tab) are refused by NGINX (chat.conf), as
// problem+json: NGINX would pass them on, and the API's HTTP codec would answer a bare 400.
function controlCharacter(r) {
    var headers = r.rawHeadersIn;
    for (var i = 0; i < headers.length; i++) {
        if (/[\x00-\x08\x0A-\x1F\x7F]/.test(headers[i][1])) {
            return '1';
        }
    }
    return '';
}

export default {controlCharacter};
