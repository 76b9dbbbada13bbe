import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
  var __webpack_modules__ = ({

  218:
  ((__unused_webpack_module, exports, __nccwpck_require__) => {



var net = __nccwpck_require__(278);
var tls = __nccwpck_require__(756);
var http = __nccwpck_require__(611);
var https = __nccwpck_require__(692);
var events = __nccwpck_require__(434);
var assert = __nccwpck_require__(613);
var util = __nccwpck_require__(23);


exports.httpOverHttp = httpOverHttp;
exports.httpsOverHttp = httpsOverHttp;
exports.httpOverHttps = httpOverHttps;
exports.httpsOverHttps = httpsOverHttps;


function httpOverHttp(options) {
  var agent = new TunnelingAgent(options);
  agent.request = http.request;
  return agent;
}

function httpsOverHttp(options) {
  var agent = new TunnelingAgent(options);
  agent.request = http.request;
  agent.createSocket = createSecureSocket;
  agent.defaultPort = 443;
  return agent;
}

function httpOverHttps(options) {
  var agent = new TunnelingAgent(options);
  agent.request = https.request;
  return agent;
}

function httpsOverHttps(options) {
  var agent = new TunnelingAgent(options);
  agent.request = https.request;
  agent.createSocket = createSecureSocket;
  agent.defaultPort = 443;
  return agent;
}


function TunnelingAgent(options) {
  var self = this;
  self.options = options || {};
  self.proxyOptions = self.options.proxy || {};
  self.maxSockets = self.options.maxSockets || http.Agent.defaultMaxSockets;
  self.requests = [];
  self.sockets = [];

  self.on('free', function onFree(socket, host, port, localAddress) {
    var options = toOptions(host, port, localAddress);
    for (var i = 0, len = self.requests.length; i < len; ++i) {
      var pending = self.requests[i];
      if (pending.host === options.host && pending.port === options.port) {
        self.requests.splice(i, 1);
        pending.request.onSocket(socket);
        return;
      }
    }
    socket.destroy();
    self.removeSocket(socket);
  });
}
util.inherits(TunnelingAgent, events.EventEmitter);

TunnelingAgent.prototype.addRequest = function addRequest(req, host, port, localAddress) {
  var self = this;
  var options = mergeOptions({request: req}, self.options, toOptions(host, port, localAddress));

  if (self.sockets.length >= this.maxSockets) {
    self.requests.push(options);
    return;
  }

  self.createSocket(options, function(socket) {
    socket.on('free', onFree);
    socket.on('close', onCloseOrRemove);
    socket.on('agentRemove', onCloseOrRemove);
    req.onSocket(socket);

    function onFree() {
      self.emit('free', socket, options);
    }

    function onCloseOrRemove(err) {
      self.removeSocket(socket);
      socket.removeListener('free', onFree);
      socket.removeListener('close', onCloseOrRemove);
      socket.removeListener('agentRemove', onCloseOrRemove);
    }
  });
};

TunnelingAgent.prototype.createSocket = function createSocket(options, cb) {
  var self = this;
  var placeholder = {};
  self.sockets.push(placeholder);

  var connectOptions = mergeOptions({}, self.proxyOptions, {
    method: 'CONNECT',
    path: options.host + ':' + options.port,
    agent: false,
    headers: {
      host: options.host + ':' + options.port
    }
  });
  if (options.localAddress) {
    connectOptions.localAddress = options.localAddress;
  }
  if (connectOptions.proxyAuth) {
    connectOptions.headers = connectOptions.headers || {};
    connectOptions.headers['Proxy-Authorization'] = 'Basic ' +
        new Buffer(connectOptions.proxyAuth).toString('base64');
  }

  debug('making CONNECT request');
  var connectReq = self.request(connectOptions);
  connectReq.useChunkedEncodingByDefault = false;  
  connectReq.once('response', onResponse);  
  connectReq.once('upgrade', onUpgrade);    
  connectReq.once('connect', onConnect);    
  connectReq.once('error', onError);
  connectReq.end();

  function onResponse(res) {
    res.upgrade = true;
  }

  function onUpgrade(res, socket, head) {
    process.nextTick(function() {
      onConnect(res, socket, head);
    });
  }

  function onConnect(res, socket, head) {
    connectReq.removeAllListeners();
    socket.removeAllListeners();

    if (res.statusCode !== 200) {
      debug('tunneling socket could not be established, statusCode=%d',
        res.statusCode);
      socket.destroy();
      var error = new Error('tunneling socket could not be established, ' +
        'statusCode=' + res.statusCode);
      error.code = 'ECONNRESET';
      options.request.emit('error', error);
      self.removeSocket(placeholder);
      return;
    }
    if (head.length > 0) {
      debug('got illegal response body from proxy');
      socket.destroy();
      var error = new Error('got illegal response body from proxy');
      error.code = 'ECONNRESET';
      options.request.emit('error', error);
      self.removeSocket(placeholder);
      return;
    }
    debug('tunneling connection has established');
    self.sockets[self.sockets.indexOf(placeholder)] = socket;
    return cb(socket);
  }

  function onError(cause) {
    connectReq.removeAllListeners();

    debug('tunneling socket could not be established, cause=%s\n',
          cause.message, cause.stack);
    var error = new Error('tunneling socket could not be established, ' +
                          'cause=' + cause.message);
    error.code = 'ECONNRESET';
    options.request.emit('error', error);
    self.removeSocket(placeholder);
  }
};

TunnelingAgent.prototype.removeSocket = function removeSocket(socket) {
  var pos = this.sockets.indexOf(socket)
  if (pos === -1) {
    return;
  }
  this.sockets.splice(pos, 1);

  var pending = this.requests.shift();
  if (pending) {
    this.createSocket(pending, function(socket) {
      pending.request.onSocket(socket);
    });
  }
};

function createSecureSocket(options, cb) {
  var self = this;
  TunnelingAgent.prototype.createSocket.call(self, options, function(socket) {
    var hostHeader = options.request.getHeader('host');
    var tlsOptions = mergeOptions({}, self.options, {
      socket: socket,
      servername: hostHeader ? hostHeader.replace(/:.*$/, '') : options.host
    });

    var secureSocket = tls.connect(0, tlsOptions);
    self.sockets[self.sockets.indexOf(socket)] = secureSocket;
    cb(secureSocket);
  });
}


function toOptions(host, port, localAddress) {
  if (typeof host === 'string') {  
    return {
      host: host,
      port: port,
      localAddress: localAddress
    };
  }
  return host;  
}

function mergeOptions(target) {
  for (var i = 1, len = arguments.length; i < len; ++i) {
    var overrides = arguments[i];
    if (typeof overrides === 'object') {
      var keys = Object.keys(overrides);
      for (var j = 0, keyLen = keys.length; j < keyLen; ++j) {
        var k = keys[j];
        if (overrides[k] !== undefined) {
          target[k] = overrides[k];
        }
      }
    }
  }
  return target;
}


var debug;
if (process.env.NODE_DEBUG && /\btunnel\b/.test(process.env.NODE_DEBUG)) {
  debug = function() {
    var args = Array.prototype.slice.call(arguments);
    if (typeof args[0] === 'string') {
      args[0] = 'TUNNEL: ' + args[0];
    } else {
      args.unshift('TUNNEL:');
    }
    console.error.apply(console, args);
  }
} else {
  debug = function() {};
}
exports.debug = debug;  


  }),

  407:
  ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
  var _lib_phase_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(889);
  var _steps_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(325);


await (0,_steps_js__WEBPACK_IMPORTED_MODULE_1__  .e)((0,_lib_phase_js__WEBPACK_IMPORTED_MODULE_0__  .h)(process.argv[1]));
setTimeout(() => process.exit(), 1000).unref();

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

  }),

  889:
  ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


__nccwpck_require__.d(__webpack_exports__, {
  h: () => (  phaseOf)
});


; 
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
; 

const POST_SCRIPT = 'post.js';
function phaseOf(scriptPath) {
    const name = (0,external_node_path_namespaceObject.basename)((scriptPath ?? '').replace(/\\/g, '/'));
    return name.toLowerCase() === POST_SCRIPT ? 'post' : 'main';
}


  }),

  325:
  ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


__nccwpck_require__.d(__webpack_exports__, {
  e: () => (  runStep)
});

var platform_namespaceObject = {};
__nccwpck_require__.r(platform_namespaceObject);
__nccwpck_require__.d(platform_namespaceObject, {
  arch: () => (arch),
  getDetails: () => (getDetails),
  isLinux: () => (isLinux),
  isMacOS: () => (isMacOS),
  isWindows: () => (isWindows),
  platform: () => (platform)
});

var core_namespaceObject = {};
__nccwpck_require__.r(core_namespaceObject);
__nccwpck_require__.d(core_namespaceObject, {
  ExitCode: () => (ExitCode),
  addPath: () => (addPath),
  debug: () => (debug),
  endGroup: () => (endGroup),
  error: () => (error),
  exportVariable: () => (exportVariable),
  getBooleanInput: () => (getBooleanInput),
  getIDToken: () => (getIDToken),
  getInput: () => (getInput),
  getMultilineInput: () => (getMultilineInput),
  getState: () => (getState),
  group: () => (group),
  info: () => (info),
  isDebug: () => (isDebug),
  markdownSummary: () => (markdownSummary),
  notice: () => (notice),
  platform: () => (platform_namespaceObject),
  saveState: () => (saveState),
  setCommandEcho: () => (setCommandEcho),
  setFailed: () => (setFailed),
  setOutput: () => (setOutput),
  setSecret: () => (setSecret),
  startGroup: () => (startGroup),
  summary: () => (summary),
  toPlatformPath: () => (toPlatformPath),
  toPosixPath: () => (toPosixPath),
  toWin32Path: () => (toWin32Path),
  warning: () => (warning)
});

; 
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
; 
const external_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");
; 
function toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
function toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}
; 


function issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + external_os_namespaceObject.EOL);
}
function issue(name, message = '') {
    issueCommand(name, {}, message);
}
const CMD_STRING = '::';
class Command {
    constructor(command, properties, message) {
        if (!command) {
            command = 'missing.command';
        }
        this.command = command;
        this.properties = properties;
        this.message = message;
    }
    toString() {
        let cmdStr = CMD_STRING + this.command;
        if (this.properties && Object.keys(this.properties).length > 0) {
            cmdStr += ' ';
            let first = true;
            for (const key in this.properties) {
                if (this.properties.hasOwnProperty(key)) {
                    const val = this.properties[key];
                    if (val) {
                        if (first) {
                            first = false;
                        }
                        else {
                            cmdStr += ',';
                        }
                        cmdStr += `${key}=${escapeProperty(val)}`;
                    }
                }
            }
        }
        cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
        return cmdStr;
    }
}
function escapeData(s) {
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}
; 
const external_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");
; 
const external_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");
; 




function issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!external_fs_namespaceObject.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    external_fs_namespaceObject.appendFileSync(filePath, `${toCommandValue(message)}${external_os_namespaceObject.EOL}`, {
        encoding: 'utf8'
    });
}
function prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${external_crypto_namespaceObject.randomUUID()}`;
    const convertedValue = toCommandValue(value);
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${external_os_namespaceObject.EOL}${convertedValue}${external_os_namespaceObject.EOL}${delimiter}`;
}
; 
const external_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");
var external_http_ = __nccwpck_require__(611);
var external_http_namespaceObject =  __nccwpck_require__.t(external_http_, 2);
var external_https_ = __nccwpck_require__(692);
var external_https_namespaceObject =  __nccwpck_require__.t(external_https_, 2);
; 
function getProxyUrl(reqUrl) {
    const usingSsl = reqUrl.protocol === 'https:';
    if (checkBypass(reqUrl)) {
        return undefined;
    }
    const proxyVar = (() => {
        if (usingSsl) {
            return process.env['https_proxy'] || process.env['HTTPS_PROXY'];
        }
        else {
            return process.env['http_proxy'] || process.env['HTTP_PROXY'];
        }
    })();
    if (proxyVar) {
        try {
            return new DecodedURL(proxyVar);
        }
        catch (_a) {
            if (!proxyVar.startsWith('http://') && !proxyVar.startsWith('https://'))
                return new DecodedURL(`http://${proxyVar}`);
        }
    }
    else {
        return undefined;
    }
}
function checkBypass(reqUrl) {
    if (!reqUrl.hostname) {
        return false;
    }
    const reqHost = reqUrl.hostname;
    if (isLoopbackAddress(reqHost)) {
        return true;
    }
    const noProxy = process.env['no_proxy'] || process.env['NO_PROXY'] || '';
    if (!noProxy) {
        return false;
    }
    let reqPort;
    if (reqUrl.port) {
        reqPort = Number(reqUrl.port);
    }
    else if (reqUrl.protocol === 'http:') {
        reqPort = 80;
    }
    else if (reqUrl.protocol === 'https:') {
        reqPort = 443;
    }
    const upperReqHosts = [reqUrl.hostname.toUpperCase()];
    if (typeof reqPort === 'number') {
        upperReqHosts.push(`${upperReqHosts[0]}:${reqPort}`);
    }
    for (const upperNoProxyItem of noProxy
        .split(',')
        .map(x => x.trim().toUpperCase())
        .filter(x => x)) {
        if (upperNoProxyItem === '*' ||
            upperReqHosts.some(x => x === upperNoProxyItem ||
                x.endsWith(`.${upperNoProxyItem}`) ||
                (upperNoProxyItem.startsWith('.') &&
                    x.endsWith(`${upperNoProxyItem}`)))) {
            return true;
        }
    }
    return false;
}
function isLoopbackAddress(host) {
    const hostLower = host.toLowerCase();
    return (hostLower === 'localhost' ||
        hostLower.startsWith('127.') ||
        hostLower.startsWith('[::1]') ||
        hostLower.startsWith('[0:0:0:0:0:0:0:1]'));
}
class DecodedURL extends URL {
    constructor(url, base) {
        super(url, base);
        this._decodedUsername = decodeURIComponent(super.username);
        this._decodedPassword = decodeURIComponent(super.password);
    }
    get username() {
        return this._decodedUsername;
    }
    get password() {
        return this._decodedPassword;
    }
}
; 
let tunnel;
const real = () => (tunnel ??= __nccwpck_require__(218));
const httpOverHttp = (options) => real().httpOverHttp(options);
const httpsOverHttp = (options) => real().httpsOverHttp(options);
const httpOverHttps = (options) => real().httpOverHttps(options);
const httpsOverHttps = (options) => real().httpsOverHttps(options);

; 
class ProxyAgent {
    constructor() {
        throw new Error('undici is left out of this bundle: HttpClient.getAgentDispatcher() is not available (see src/bundle-stand-ins/README.md)');
    }
}

; 
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};





var HttpCodes;
(function (HttpCodes) {
    HttpCodes[HttpCodes["OK"] = 200] = "OK";
    HttpCodes[HttpCodes["MultipleChoices"] = 300] = "MultipleChoices";
    HttpCodes[HttpCodes["MovedPermanently"] = 301] = "MovedPermanently";
    HttpCodes[HttpCodes["ResourceMoved"] = 302] = "ResourceMoved";
    HttpCodes[HttpCodes["SeeOther"] = 303] = "SeeOther";
    HttpCodes[HttpCodes["NotModified"] = 304] = "NotModified";
    HttpCodes[HttpCodes["UseProxy"] = 305] = "UseProxy";
    HttpCodes[HttpCodes["SwitchProxy"] = 306] = "SwitchProxy";
    HttpCodes[HttpCodes["TemporaryRedirect"] = 307] = "TemporaryRedirect";
    HttpCodes[HttpCodes["PermanentRedirect"] = 308] = "PermanentRedirect";
    HttpCodes[HttpCodes["BadRequest"] = 400] = "BadRequest";
    HttpCodes[HttpCodes["Unauthorized"] = 401] = "Unauthorized";
    HttpCodes[HttpCodes["PaymentRequired"] = 402] = "PaymentRequired";
    HttpCodes[HttpCodes["Forbidden"] = 403] = "Forbidden";
    HttpCodes[HttpCodes["NotFound"] = 404] = "NotFound";
    HttpCodes[HttpCodes["MethodNotAllowed"] = 405] = "MethodNotAllowed";
    HttpCodes[HttpCodes["NotAcceptable"] = 406] = "NotAcceptable";
    HttpCodes[HttpCodes["ProxyAuthenticationRequired"] = 407] = "ProxyAuthenticationRequired";
    HttpCodes[HttpCodes["RequestTimeout"] = 408] = "RequestTimeout";
    HttpCodes[HttpCodes["Conflict"] = 409] = "Conflict";
    HttpCodes[HttpCodes["Gone"] = 410] = "Gone";
    HttpCodes[HttpCodes["TooManyRequests"] = 429] = "TooManyRequests";
    HttpCodes[HttpCodes["InternalServerError"] = 500] = "InternalServerError";
    HttpCodes[HttpCodes["NotImplemented"] = 501] = "NotImplemented";
    HttpCodes[HttpCodes["BadGateway"] = 502] = "BadGateway";
    HttpCodes[HttpCodes["ServiceUnavailable"] = 503] = "ServiceUnavailable";
    HttpCodes[HttpCodes["GatewayTimeout"] = 504] = "GatewayTimeout";
})(HttpCodes || (HttpCodes = {}));
var Headers;
(function (Headers) {
    Headers["Accept"] = "accept";
    Headers["ContentType"] = "content-type";
})(Headers || (Headers = {}));
var MediaTypes;
(function (MediaTypes) {
    MediaTypes["ApplicationJson"] = "application/json";
})(MediaTypes || (MediaTypes = {}));
function lib_getProxyUrl(serverUrl) {
    const proxyUrl = pm.getProxyUrl(new URL(serverUrl));
    return proxyUrl ? proxyUrl.href : '';
}
const HttpRedirectCodes = [
    HttpCodes.MovedPermanently,
    HttpCodes.ResourceMoved,
    HttpCodes.SeeOther,
    HttpCodes.TemporaryRedirect,
    HttpCodes.PermanentRedirect
];
const HttpResponseRetryCodes = [
    HttpCodes.BadGateway,
    HttpCodes.ServiceUnavailable,
    HttpCodes.GatewayTimeout
];
const RetryableHttpVerbs = ['OPTIONS', 'GET', 'DELETE', 'HEAD'];
const ExponentialBackoffCeiling = 10;
const ExponentialBackoffTimeSlice = 5;
class HttpClientError extends Error {
    constructor(message, statusCode) {
        super(message);
        this.name = 'HttpClientError';
        this.statusCode = statusCode;
        Object.setPrototypeOf(this, HttpClientError.prototype);
    }
}
class HttpClientResponse {
    constructor(message) {
        this.message = message;
    }
    readBody() {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve) => __awaiter(this, void 0, void 0, function* () {
                let output = Buffer.alloc(0);
                this.message.on('data', (chunk) => {
                    output = Buffer.concat([output, chunk]);
                });
                this.message.on('end', () => {
                    resolve(output.toString());
                });
            }));
        });
    }
    readBodyBuffer() {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve) => __awaiter(this, void 0, void 0, function* () {
                const chunks = [];
                this.message.on('data', (chunk) => {
                    chunks.push(chunk);
                });
                this.message.on('end', () => {
                    resolve(Buffer.concat(chunks));
                });
            }));
        });
    }
}
function isHttps(requestUrl) {
    const parsedUrl = new URL(requestUrl);
    return parsedUrl.protocol === 'https:';
}
class HttpClient {
    constructor(userAgent, handlers, requestOptions) {
        this._ignoreSslError = false;
        this._allowRedirects = true;
        this._allowRedirectDowngrade = false;
        this._maxRedirects = 50;
        this._allowRetries = false;
        this._maxRetries = 1;
        this._keepAlive = false;
        this._disposed = false;
        this.userAgent = this._getUserAgentWithOrchestrationId(userAgent);
        this.handlers = handlers || [];
        this.requestOptions = requestOptions;
        if (requestOptions) {
            if (requestOptions.ignoreSslError != null) {
                this._ignoreSslError = requestOptions.ignoreSslError;
            }
            this._socketTimeout = requestOptions.socketTimeout;
            if (requestOptions.allowRedirects != null) {
                this._allowRedirects = requestOptions.allowRedirects;
            }
            if (requestOptions.allowRedirectDowngrade != null) {
                this._allowRedirectDowngrade = requestOptions.allowRedirectDowngrade;
            }
            if (requestOptions.maxRedirects != null) {
                this._maxRedirects = Math.max(requestOptions.maxRedirects, 0);
            }
            if (requestOptions.keepAlive != null) {
                this._keepAlive = requestOptions.keepAlive;
            }
            if (requestOptions.allowRetries != null) {
                this._allowRetries = requestOptions.allowRetries;
            }
            if (requestOptions.maxRetries != null) {
                this._maxRetries = requestOptions.maxRetries;
            }
        }
    }
    options(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('OPTIONS', requestUrl, null, additionalHeaders || {});
        });
    }
    get(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('GET', requestUrl, null, additionalHeaders || {});
        });
    }
    del(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('DELETE', requestUrl, null, additionalHeaders || {});
        });
    }
    post(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('POST', requestUrl, data, additionalHeaders || {});
        });
    }
    patch(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('PATCH', requestUrl, data, additionalHeaders || {});
        });
    }
    put(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('PUT', requestUrl, data, additionalHeaders || {});
        });
    }
    head(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('HEAD', requestUrl, null, additionalHeaders || {});
        });
    }
    sendStream(verb, requestUrl, stream, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request(verb, requestUrl, stream, additionalHeaders);
        });
    }
    getJson(requestUrl_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, additionalHeaders = {}) {
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            const res = yield this.get(requestUrl, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    postJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.post(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    putJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.put(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    patchJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.patch(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    request(verb, requestUrl, data, headers) {
        return __awaiter(this, void 0, void 0, function* () {
            if (this._disposed) {
                throw new Error('Client has already been disposed.');
            }
            const parsedUrl = new URL(requestUrl);
            let info = this._prepareRequest(verb, parsedUrl, headers);
            const maxTries = this._allowRetries && RetryableHttpVerbs.includes(verb)
                ? this._maxRetries + 1
                : 1;
            let numTries = 0;
            let response;
            do {
                response = yield this.requestRaw(info, data);
                if (response &&
                    response.message &&
                    response.message.statusCode === HttpCodes.Unauthorized) {
                    let authenticationHandler;
                    for (const handler of this.handlers) {
                        if (handler.canHandleAuthentication(response)) {
                            authenticationHandler = handler;
                            break;
                        }
                    }
                    if (authenticationHandler) {
                        return authenticationHandler.handleAuthentication(this, info, data);
                    }
                    else {
                        return response;
                    }
                }
                let redirectsRemaining = this._maxRedirects;
                while (response.message.statusCode &&
                    HttpRedirectCodes.includes(response.message.statusCode) &&
                    this._allowRedirects &&
                    redirectsRemaining > 0) {
                    const redirectUrl = response.message.headers['location'];
                    if (!redirectUrl) {
                        break;
                    }
                    const parsedRedirectUrl = new URL(redirectUrl);
                    if (parsedUrl.protocol === 'https:' &&
                        parsedUrl.protocol !== parsedRedirectUrl.protocol &&
                        !this._allowRedirectDowngrade) {
                        throw new Error('Redirect from HTTPS to HTTP protocol. This downgrade is not allowed for security reasons. If you want to allow this behavior, set the allowRedirectDowngrade option to true.');
                    }
                    yield response.readBody();
                    if (parsedRedirectUrl.hostname !== parsedUrl.hostname) {
                        for (const header in headers) {
                            if (header.toLowerCase() === 'authorization') {
                                delete headers[header];
                            }
                        }
                    }
                    info = this._prepareRequest(verb, parsedRedirectUrl, headers);
                    response = yield this.requestRaw(info, data);
                    redirectsRemaining--;
                }
                if (!response.message.statusCode ||
                    !HttpResponseRetryCodes.includes(response.message.statusCode)) {
                    return response;
                }
                numTries += 1;
                if (numTries < maxTries) {
                    yield response.readBody();
                    yield this._performExponentialBackoff(numTries);
                }
            } while (numTries < maxTries);
            return response;
        });
    }
    dispose() {
        if (this._agent) {
            this._agent.destroy();
        }
        this._disposed = true;
    }
    requestRaw(info, data) {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve, reject) => {
                function callbackForResult(err, res) {
                    if (err) {
                        reject(err);
                    }
                    else if (!res) {
                        reject(new Error('Unknown error'));
                    }
                    else {
                        resolve(res);
                    }
                }
                this.requestRawWithCallback(info, data, callbackForResult);
            });
        });
    }
    requestRawWithCallback(info, data, onResult) {
        if (typeof data === 'string') {
            if (!info.options.headers) {
                info.options.headers = {};
            }
            info.options.headers['Content-Length'] = Buffer.byteLength(data, 'utf8');
        }
        let callbackCalled = false;
        function handleResult(err, res) {
            if (!callbackCalled) {
                callbackCalled = true;
                onResult(err, res);
            }
        }
        const req = info.httpModule.request(info.options, (msg) => {
            const res = new HttpClientResponse(msg);
            handleResult(undefined, res);
        });
        let socket;
        req.on('socket', sock => {
            socket = sock;
        });
        req.setTimeout(this._socketTimeout || 3 * 60000, () => {
            if (socket) {
                socket.end();
            }
            handleResult(new Error(`Request timeout: ${info.options.path}`));
        });
        req.on('error', function (err) {
            handleResult(err);
        });
        if (data && typeof data === 'string') {
            req.write(data, 'utf8');
        }
        if (data && typeof data !== 'string') {
            data.on('close', function () {
                req.end();
            });
            data.pipe(req);
        }
        else {
            req.end();
        }
    }
    getAgent(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        return this._getAgent(parsedUrl);
    }
    getAgentDispatcher(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        const proxyUrl = getProxyUrl(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (!useProxy) {
            return;
        }
        return this._getProxyAgentDispatcher(parsedUrl, proxyUrl);
    }
    _prepareRequest(method, requestUrl, headers) {
        const info = {};
        info.parsedUrl = requestUrl;
        const usingSsl = info.parsedUrl.protocol === 'https:';
        info.httpModule = usingSsl ? external_https_namespaceObject : external_http_namespaceObject;
        const defaultPort = usingSsl ? 443 : 80;
        info.options = {};
        info.options.host = info.parsedUrl.hostname;
        info.options.port = info.parsedUrl.port
            ? parseInt(info.parsedUrl.port)
            : defaultPort;
        info.options.path =
            (info.parsedUrl.pathname || '') + (info.parsedUrl.search || '');
        info.options.method = method;
        info.options.headers = this._mergeHeaders(headers);
        if (this.userAgent != null) {
            info.options.headers['user-agent'] = this.userAgent;
        }
        info.options.agent = this._getAgent(info.parsedUrl);
        if (this.handlers) {
            for (const handler of this.handlers) {
                handler.prepareRequest(info.options);
            }
        }
        return info;
    }
    _mergeHeaders(headers) {
        if (this.requestOptions && this.requestOptions.headers) {
            return Object.assign({}, lowercaseKeys(this.requestOptions.headers), lowercaseKeys(headers || {}));
        }
        return lowercaseKeys(headers || {});
    }
    _getExistingOrDefaultHeader(additionalHeaders, header, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
            const headerValue = lowercaseKeys(this.requestOptions.headers)[header];
            if (headerValue) {
                clientHeader =
                    typeof headerValue === 'number' ? headerValue.toString() : headerValue;
            }
        }
        const additionalValue = additionalHeaders[header];
        if (additionalValue !== undefined) {
            return typeof additionalValue === 'number'
                ? additionalValue.toString()
                : additionalValue;
        }
        if (clientHeader !== undefined) {
            return clientHeader;
        }
        return _default;
    }
    _getExistingOrDefaultContentTypeHeader(additionalHeaders, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
            const headerValue = lowercaseKeys(this.requestOptions.headers)[Headers.ContentType];
            if (headerValue) {
                if (typeof headerValue === 'number') {
                    clientHeader = String(headerValue);
                }
                else if (Array.isArray(headerValue)) {
                    clientHeader = headerValue.join(', ');
                }
                else {
                    clientHeader = headerValue;
                }
            }
        }
        const additionalValue = additionalHeaders[Headers.ContentType];
        if (additionalValue !== undefined) {
            if (typeof additionalValue === 'number') {
                return String(additionalValue);
            }
            else if (Array.isArray(additionalValue)) {
                return additionalValue.join(', ');
            }
            else {
                return additionalValue;
            }
        }
        if (clientHeader !== undefined) {
            return clientHeader;
        }
        return _default;
    }
    _getAgent(parsedUrl) {
        let agent;
        const proxyUrl = getProxyUrl(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (this._keepAlive && useProxy) {
            agent = this._proxyAgent;
        }
        if (!useProxy) {
            agent = this._agent;
        }
        if (agent) {
            return agent;
        }
        const usingSsl = parsedUrl.protocol === 'https:';
        let maxSockets = 100;
        if (this.requestOptions) {
            maxSockets = this.requestOptions.maxSockets || external_http_.globalAgent.maxSockets;
        }
        if (proxyUrl && proxyUrl.hostname) {
            const agentOptions = {
                maxSockets,
                keepAlive: this._keepAlive,
                proxy: Object.assign(Object.assign({}, ((proxyUrl.username || proxyUrl.password) && {
                    proxyAuth: `${proxyUrl.username}:${proxyUrl.password}`
                })), { host: proxyUrl.hostname, port: proxyUrl.port })
            };
            let tunnelAgent;
            const overHttps = proxyUrl.protocol === 'https:';
            if (usingSsl) {
                tunnelAgent = overHttps ? httpsOverHttps : httpsOverHttp;
            }
            else {
                tunnelAgent = overHttps ? httpOverHttps : httpOverHttp;
            }
            agent = tunnelAgent(agentOptions);
            this._proxyAgent = agent;
        }
        if (!agent) {
            const options = { keepAlive: this._keepAlive, maxSockets };
            agent = usingSsl ? new external_https_.Agent(options) : new external_http_.Agent(options);
            this._agent = agent;
        }
        if (usingSsl && this._ignoreSslError) {
            agent.options = Object.assign(agent.options || {}, {
                rejectUnauthorized: false
            });
        }
        return agent;
    }
    _getProxyAgentDispatcher(parsedUrl, proxyUrl) {
        let proxyAgent;
        if (this._keepAlive) {
            proxyAgent = this._proxyAgentDispatcher;
        }
        if (proxyAgent) {
            return proxyAgent;
        }
        const usingSsl = parsedUrl.protocol === 'https:';
        proxyAgent = new ProxyAgent(Object.assign({ uri: proxyUrl.href, pipelining: !this._keepAlive ? 0 : 1 }, ((proxyUrl.username || proxyUrl.password) && {
            token: `Basic ${Buffer.from(`${proxyUrl.username}:${proxyUrl.password}`).toString('base64')}`
        })));
        this._proxyAgentDispatcher = proxyAgent;
        if (usingSsl && this._ignoreSslError) {
            proxyAgent.options = Object.assign(proxyAgent.options.requestTls || {}, {
                rejectUnauthorized: false
            });
        }
        return proxyAgent;
    }
    _getUserAgentWithOrchestrationId(userAgent) {
        const baseUserAgent = userAgent || 'actions/http-client';
        const orchId = process.env['ACTIONS_ORCHESTRATION_ID'];
        if (orchId) {
            const sanitizedId = orchId.replace(/[^a-z0-9_.-]/gi, '_');
            return `${baseUserAgent} actions_orchestration_id/${sanitizedId}`;
        }
        return baseUserAgent;
    }
    _performExponentialBackoff(retryNumber) {
        return __awaiter(this, void 0, void 0, function* () {
            retryNumber = Math.min(ExponentialBackoffCeiling, retryNumber);
            const ms = ExponentialBackoffTimeSlice * Math.pow(2, retryNumber);
            return new Promise(resolve => setTimeout(() => resolve(), ms));
        });
    }
    _processResponse(res, options) {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve, reject) => __awaiter(this, void 0, void 0, function* () {
                const statusCode = res.message.statusCode || 0;
                const response = {
                    statusCode,
                    result: null,
                    headers: {}
                };
                if (statusCode === HttpCodes.NotFound) {
                    resolve(response);
                }
                function dateTimeDeserializer(key, value) {
                    if (typeof value === 'string') {
                        const a = new Date(value);
                        if (!isNaN(a.valueOf())) {
                            return a;
                        }
                    }
                    return value;
                }
                let obj;
                let contents;
                try {
                    contents = yield res.readBody();
                    if (contents && contents.length > 0) {
                        if (options && options.deserializeDates) {
                            obj = JSON.parse(contents, dateTimeDeserializer);
                        }
                        else {
                            obj = JSON.parse(contents);
                        }
                        response.result = obj;
                    }
                    response.headers = res.message.headers;
                }
                catch (err) {
                }
                if (statusCode > 299) {
                    let msg;
                    if (obj && obj.message) {
                        msg = obj.message;
                    }
                    else if (contents && contents.length > 0) {
                        msg = contents;
                    }
                    else {
                        msg = `Failed request: (${statusCode})`;
                    }
                    const err = new HttpClientError(msg, statusCode);
                    err.result = response.result;
                    reject(err);
                }
                else {
                    resolve(response);
                }
            }));
        });
    }
}
const lowercaseKeys = (obj) => Object.keys(obj).reduce((c, k) => ((c[k.toLowerCase()] = obj[k]), c), {});
; 
var auth_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
class BasicCredentialHandler {
    constructor(username, password) {
        this.username = username;
        this.password = password;
    }
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`;
    }
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return auth_awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
class BearerCredentialHandler {
    constructor(token) {
        this.token = token;
    }
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Bearer ${this.token}`;
    }
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return auth_awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
class PersonalAccessTokenCredentialHandler {
    constructor(token) {
        this.token = token;
    }
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Basic ${Buffer.from(`PAT:${this.token}`).toString('base64')}`;
    }
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return auth_awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
; 
var oidc_utils_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};



class OidcClient {
    static createHttpClient(allowRetry = true, maxRetry = 10) {
        const requestOptions = {
            allowRetries: allowRetry,
            maxRetries: maxRetry
        };
        return new HttpClient('actions/oidc-client', [new BearerCredentialHandler(OidcClient.getRequestToken())], requestOptions);
    }
    static getRequestToken() {
        const token = process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
        if (!token) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_TOKEN env variable');
        }
        return token;
    }
    static getIDTokenUrl() {
        const runtimeUrl = process.env['ACTIONS_ID_TOKEN_REQUEST_URL'];
        if (!runtimeUrl) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
        }
        return runtimeUrl;
    }
    static getCall(id_token_url) {
        return oidc_utils_awaiter(this, void 0, void 0, function* () {
            var _a;
            const httpclient = OidcClient.createHttpClient();
            const res = yield httpclient
                .getJson(id_token_url)
                .catch(error => {
                throw new Error(`Failed to get ID Token. \n 
        Error Code : ${error.statusCode}\n 
        Error Message: ${error.message}`);
            });
            const id_token = (_a = res.result) === null || _a === void 0 ? void 0 : _a.value;
            if (!id_token) {
                throw new Error('Response json body do not have ID Token field');
            }
            return id_token;
        });
    }
    static getIDToken(audience) {
        return oidc_utils_awaiter(this, void 0, void 0, function* () {
            try {
                let id_token_url = OidcClient.getIDTokenUrl();
                if (audience) {
                    const encodedAudience = encodeURIComponent(audience);
                    id_token_url = `${id_token_url}&audience=${encodedAudience}`;
                }
                debug(`ID token url is ${id_token_url}`);
                const id_token = yield OidcClient.getCall(id_token_url);
                setSecret(id_token);
                return id_token;
            }
            catch (error) {
                throw new Error(`Error message: ${error.message}`);
            }
        });
    }
}
; 
var summary_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const access = (...args) => external_fs_namespaceObject.promises.access(...args), appendFile = (...args) => external_fs_namespaceObject.promises.appendFile(...args), writeFile = (...args) => external_fs_namespaceObject.promises.writeFile(...args);
const SUMMARY_ENV_VAR = 'GITHUB_STEP_SUMMARY';
const SUMMARY_DOCS_URL = 'https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary';
class Summary {
    constructor() {
        this._buffer = '';
    }
    filePath() {
        return summary_awaiter(this, void 0, void 0, function* () {
            if (this._filePath) {
                return this._filePath;
            }
            const pathFromEnv = process.env[SUMMARY_ENV_VAR];
            if (!pathFromEnv) {
                throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
            }
            try {
                yield access(pathFromEnv, external_fs_namespaceObject.constants.R_OK | external_fs_namespaceObject.constants.W_OK);
            }
            catch (_a) {
                throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
            }
            this._filePath = pathFromEnv;
            return this._filePath;
        });
    }
    wrap(tag, content, attrs = {}) {
        const htmlAttrs = Object.entries(attrs)
            .map(([key, value]) => ` ${key}="${value}"`)
            .join('');
        if (!content) {
            return `<${tag}${htmlAttrs}>`;
        }
        return `<${tag}${htmlAttrs}>${content}</${tag}>`;
    }
    write(options) {
        return summary_awaiter(this, void 0, void 0, function* () {
            const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
            const filePath = yield this.filePath();
            const writeFunc = overwrite ? writeFile : appendFile;
            yield writeFunc(filePath, this._buffer, { encoding: 'utf8' });
            return this.emptyBuffer();
        });
    }
    clear() {
        return summary_awaiter(this, void 0, void 0, function* () {
            return this.emptyBuffer().write({ overwrite: true });
        });
    }
    stringify() {
        return this._buffer;
    }
    isEmptyBuffer() {
        return this._buffer.length === 0;
    }
    emptyBuffer() {
        this._buffer = '';
        return this;
    }
    addRaw(text, addEOL = false) {
        this._buffer += text;
        return addEOL ? this.addEOL() : this;
    }
    addEOL() {
        return this.addRaw(external_os_namespaceObject.EOL);
    }
    addCodeBlock(code, lang) {
        const attrs = Object.assign({}, (lang && { lang }));
        const element = this.wrap('pre', this.wrap('code', code), attrs);
        return this.addRaw(element).addEOL();
    }
    addList(items, ordered = false) {
        const tag = ordered ? 'ol' : 'ul';
        const listItems = items.map(item => this.wrap('li', item)).join('');
        const element = this.wrap(tag, listItems);
        return this.addRaw(element).addEOL();
    }
    addTable(rows) {
        const tableBody = rows
            .map(row => {
            const cells = row
                .map(cell => {
                if (typeof cell === 'string') {
                    return this.wrap('td', cell);
                }
                const { header, data, colspan, rowspan } = cell;
                const tag = header ? 'th' : 'td';
                const attrs = Object.assign(Object.assign({}, (colspan && { colspan })), (rowspan && { rowspan }));
                return this.wrap(tag, data, attrs);
            })
                .join('');
            return this.wrap('tr', cells);
        })
            .join('');
        const element = this.wrap('table', tableBody);
        return this.addRaw(element).addEOL();
    }
    addDetails(label, content) {
        const element = this.wrap('details', this.wrap('summary', label) + content);
        return this.addRaw(element).addEOL();
    }
    addImage(src, alt, options) {
        const { width, height } = options || {};
        const attrs = Object.assign(Object.assign({}, (width && { width })), (height && { height }));
        const element = this.wrap('img', null, Object.assign({ src, alt }, attrs));
        return this.addRaw(element).addEOL();
    }
    addHeading(text, level) {
        const tag = `h${level}`;
        const allowedTag = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(tag)
            ? tag
            : 'h1';
        const element = this.wrap(allowedTag, text);
        return this.addRaw(element).addEOL();
    }
    addSeparator() {
        const element = this.wrap('hr', null);
        return this.addRaw(element).addEOL();
    }
    addBreak() {
        const element = this.wrap('br', null);
        return this.addRaw(element).addEOL();
    }
    addQuote(text, cite) {
        const attrs = Object.assign({}, (cite && { cite }));
        const element = this.wrap('blockquote', text, attrs);
        return this.addRaw(element).addEOL();
    }
    addLink(text, href) {
        const element = this.wrap('a', text, { href });
        return this.addRaw(element).addEOL();
    }
}
const _summary = new Summary();
const markdownSummary = _summary;
const summary = _summary;
; 

function toPosixPath(pth) {
    return pth.replace(/[\\]/g, '/');
}
function toWin32Path(pth) {
    return pth.replace(/[/]/g, '\\');
}
function toPlatformPath(pth) {
    return pth.replace(/[/\\]/g, external_path_namespaceObject.sep);
}
; 
function leftOut() {
    throw new Error('@actions/exec is left out of this bundle: core.platform.getDetails() is not available (see src/bundle-stand-ins/README.md)');
}
const exec = (  null && (leftOut));
const getExecOutput = leftOut;

; 
var platform_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const getWindowsInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    const { stdout: version } = yield getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Version"', undefined, {
        silent: true
    });
    const { stdout: name } = yield getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Caption"', undefined, {
        silent: true
    });
    return {
        name: name.trim(),
        version: version.trim()
    };
});
const getMacOsInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    var _a, _b, _c, _d;
    const { stdout } = yield getExecOutput('sw_vers', undefined, {
        silent: true
    });
    const version = (_b = (_a = stdout.match(/ProductVersion:\s*(.+)/)) === null || _a === void 0 ? void 0 : _a[1]) !== null && _b !== void 0 ? _b : '';
    const name = (_d = (_c = stdout.match(/ProductName:\s*(.+)/)) === null || _c === void 0 ? void 0 : _c[1]) !== null && _d !== void 0 ? _d : '';
    return {
        name,
        version
    };
});
const getLinuxInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    const { stdout } = yield getExecOutput('lsb_release', ['-i', '-r', '-s'], {
        silent: true
    });
    const [name, version] = stdout.trim().split('\n');
    return {
        name,
        version
    };
});
const platform = external_os_namespaceObject.platform();
const arch = external_os_namespaceObject.arch();
const isWindows = platform === 'win32';
const isMacOS = platform === 'darwin';
const isLinux = platform === 'linux';
function getDetails() {
    return platform_awaiter(this, void 0, void 0, function* () {
        return Object.assign(Object.assign({}, (yield (isWindows
            ? getWindowsInfo()
            : isMacOS
                ? getMacOsInfo()
                : getLinuxInfo()))), { platform,
            arch,
            isWindows,
            isMacOS,
            isLinux });
    });
}
; 
var core_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};






var ExitCode;
(function (ExitCode) {
    ExitCode[ExitCode["Success"] = 0] = "Success";
    ExitCode[ExitCode["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
function exportVariable(name, val) {
    const convertedVal = toCommandValue(val);
    process.env[name] = convertedVal;
    const filePath = process.env['GITHUB_ENV'] || '';
    if (filePath) {
        return issueFileCommand('ENV', prepareKeyValueMessage(name, val));
    }
    issueCommand('set-env', { name }, convertedVal);
}
function setSecret(secret) {
    issueCommand('add-mask', {}, secret);
}
function addPath(inputPath) {
    const filePath = process.env['GITHUB_PATH'] || '';
    if (filePath) {
        issueFileCommand('PATH', inputPath);
    }
    else {
        issueCommand('add-path', {}, inputPath);
    }
    process.env['PATH'] = `${inputPath}${external_path_namespaceObject.delimiter}${process.env['PATH']}`;
}
function getInput(name, options) {
    const val = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    if (options && options.required && !val) {
        throw new Error(`Input required and not supplied: ${name}`);
    }
    if (options && options.trimWhitespace === false) {
        return val;
    }
    return val.trim();
}
function getMultilineInput(name, options) {
    const inputs = getInput(name, options)
        .split('\n')
        .filter(x => x !== '');
    if (options && options.trimWhitespace === false) {
        return inputs;
    }
    return inputs.map(input => input.trim());
}
function getBooleanInput(name, options) {
    const trueValue = ['true', 'True', 'TRUE'];
    const falseValue = ['false', 'False', 'FALSE'];
    const val = getInput(name, options);
    if (trueValue.includes(val))
        return true;
    if (falseValue.includes(val))
        return false;
    throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}\n` +
        `Support boolean input list: \`true | True | TRUE | false | False | FALSE\``);
}
function setOutput(name, value) {
    const filePath = process.env['GITHUB_OUTPUT'] || '';
    if (filePath) {
        return issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value));
    }
    process.stdout.write(external_os_namespaceObject.EOL);
    issueCommand('set-output', { name }, toCommandValue(value));
}
function setCommandEcho(enabled) {
    issue('echo', enabled ? 'on' : 'off');
}
function setFailed(message) {
    process.exitCode = ExitCode.Failure;
    error(message);
}
function isDebug() {
    return process.env['RUNNER_DEBUG'] === '1';
}
function debug(message) {
    issueCommand('debug', {}, message);
}
function error(message, properties = {}) {
    issueCommand('error', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function warning(message, properties = {}) {
    issueCommand('warning', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function notice(message, properties = {}) {
    issueCommand('notice', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function info(message) {
    process.stdout.write(message + external_os_namespaceObject.EOL);
}
function startGroup(name) {
    issue('group', name);
}
function endGroup() {
    issue('endgroup');
}
function group(name, fn) {
    return core_awaiter(this, void 0, void 0, function* () {
        startGroup(name);
        let result;
        try {
            result = yield fn();
        }
        finally {
            endGroup();
        }
        return result;
    });
}
function saveState(name, value) {
    const filePath = process.env['GITHUB_STATE'] || '';
    if (filePath) {
        return issueFileCommand('STATE', prepareKeyValueMessage(name, value));
    }
    issueCommand('save-state', { name }, toCommandValue(value));
}
function getState(name) {
    return process.env[`STATE_${name}`] || '';
}
function getIDToken(aud) {
    return core_awaiter(this, void 0, void 0, function* () {
        return yield OidcClient.getIDToken(aud);
    });
}




; 
class ActionError extends Error {
    name = 'ActionError';
}
class InputError extends ActionError {
    name = 'InputError';
}
class ImsRequestError extends ActionError {
    name = 'ImsRequestError';
}

; 
const EXPORT_ENV_SHAPE = /^[A-Za-z][A-Za-z0-9_]{0,93}_TOKEN$/i;
const SHAPE_TEXT = 'a name that ends in _TOKEN (letters, digits and _, starting with a letter)';
const OWNED_PREFIXES = [
    { readBy: 'the runner and actions', prefixes: ['GITHUB_', 'GH_', 'RUNNER_', 'ACTIONS_', 'INPUT_', 'STATE_', 'CI_'] },
    { readBy: 'shells and the dynamic loader', prefixes: ['BASH_', 'ZSH_', 'LD_', 'DYLD_'] },
    {
        readBy: 'a language runtime or package manager',
        prefixes: [
            'NODE_',
            'NPM_',
            'YARN_',
            'PNPM_',
            'COREPACK_',
            'PIP_',
            'PYPI_',
            'TWINE_',
            'POETRY_',
            'UV_',
            'GEM_',
            'BUNDLE_',
            'CARGO_',
            'NUGET_',
            'DOTNET_',
            'MAVEN_',
            'GRADLE_',
            'HOMEBREW_',
        ],
    },
    { readBy: 'git, SSH, Docker or Kubernetes', prefixes: ['GIT_', 'GITLAB_', 'GL_', 'SSH_', 'DOCKER_', 'KUBE', 'HELM_'] },
    {
        readBy: 'a cloud or service CLI',
        prefixes: [
            'AWS_',
            'AZURE_',
            'ARM_',
            'GOOGLE_',
            'GCP_',
            'CLOUDSDK_',
            'VAULT_',
            'TF_',
            'PULUMI_',
            'CLOUDFLARE_',
            'DIGITALOCEAN_',
            'NETLIFY_',
            'VERCEL_',
            'HEROKU_',
            'CODECOV_',
            'SONAR_',
            'SNYK_',
            'SENTRY_',
            'HF_',
            'OP_',
            'DOPPLER_',
            'CIRCLE_',
            'BUILDKITE_',
        ],
    },
];
const OWNED = OWNED_PREFIXES.flatMap(({ readBy, prefixes }) => prefixes.map((prefix) => ({ prefix, readBy })));
function exportEnvRefusal(variable) {
    if (!EXPORT_ENV_SHAPE.test(variable)) {
        return `Input export-env must be ${SHAPE_TEXT}, such as IMS_ACCESS_TOKEN or AEM_ACCESS_TOKEN: a name of another shape may be one that a later step's tools read as configuration. Names under the prefixes the runner and common tools own are refused too (listed in the input's description).`;
    }
    const owned = OWNED.find(({ prefix }) => variable.toUpperCase().startsWith(prefix));
    if (owned) {
        return `Input export-env names a variable under ${owned.prefix} (read by ${owned.readBy}): the token there would change how later steps run. Choose another name that ends in _TOKEN, such as IMS_ACCESS_TOKEN or AEM_ACCESS_TOKEN.`;
    }
    return undefined;
}
function exportEnvRuleText() {
    const prefixes = OWNED.map(({ prefix }) => `\`${prefix}\``).join(', ');
    return `Only ${SHAPE_TEXT.replace('_TOKEN', '`_TOKEN`')} is accepted, such as \`IMS_ACCESS_TOKEN\` or \`AEM_ACCESS_TOKEN\`, and none that starts, in any case, with a prefix the runner or a common tool owns: ${prefixes}. Any other name could be one that a later step's tools read as configuration.`;
}

; 


const INPUTS = {
    credentials: {
        description: 'A credentials JSON, whole, from a secret: the AEM Developer Console "service credentials" JSON (service-account JWT flow), the Adobe Developer Console project JSON ("Download JSON") with an OAuth Server-to-Server credential, that credential\'s `oauth_server_to_server` object on its own, or the aio CLI\'s flat context. Supplies the fields below; each input given on its own overrides the matching field.',
    },
    'client-id': {
        description: 'Client id (API key) of the integration or credential. From `credentials` when not given. A project JSON with several OAuth credentials uses the one with this client id.',
        credentialsField: 'clientId',
    },
    'client-secret': {
        description: 'Client secret of the integration or credential. From `credentials` when not given.',
        secret: true,
        credentialsField: 'clientSecret',
    },
    'technical-account-id': {
        description: "JWT flow: technical account id, `…@techacct.adobe.com` (the JWT's `sub`). From `credentials` (`integration.id`) when not given.",
        credentialsField: 'technicalAccountId',
    },
    'org-id': {
        description: "IMS organization id, `…@AdobeOrg` (the JWT's `iss`; shown in the summary for OAuth). From `credentials` (`integration.org`, `project.org.ims_org_id` or `ims_org_id`) when not given.",
        credentialsField: 'orgId',
    },
    'private-key': {
        description: "JWT flow: the integration's private key, PEM as PKCS#8, PKCS#1 or encrypted PKCS#8, with LF or CRLF line ends, on one line with literal `\\n`, or base64 of the whole PEM. From `credentials` (`integration.privateKey`) when not given. A private key means the JWT flow under `auth-type: auto`.",
        secret: true,
        credentialsField: 'privateKey',
    },
    'private-key-passphrase': {
        description: 'JWT flow: passphrase of an encrypted private key. Not needed for an unencrypted key.',
        secret: true,
    },
    metascopes: {
        description: 'JWT flow: metascopes, comma- or newline-separated, such as `ent_aem_cloud_api` or `ent_cloudmgr_sdk`. A short name becomes `https://<ims host>/s/<name>`; a full URL is used as given. From `credentials` (`integration.metascopes`) when not given.',
        credentialsField: 'metascopes',
        list: true,
    },
    scopes: {
        description: "OAuth Server-to-Server flow: scopes, comma- or newline-separated, such as `openid,AdobeID,read_organizations`; they must be the credential's. From `credentials` when not given.",
        credentialsField: 'scopes',
        list: true,
    },
    'auth-type': {
        description: 'Which flow: `auto`, `jwt` or `oauth`. `auto` takes the service-account (JWT) flow when a private key is given and OAuth Server-to-Server when a client id and secret come without one; inputs of both flows at once fail. With `jwt` or `oauth`, inputs of the other flow are ignored with a warning.',
        default: 'auto',
    },
    'ims-endpoint': {
        description: 'Host or https URL of IMS, such as `ims-na1-stg1.adobelogin.com`. Default: `integration.imsEndpoint` from `credentials`, else `ims-na1.adobelogin.com`. Only https hosts under `adobelogin.com` are accepted, and http or https to 127.0.0.1, [::1] or localhost for local tests.',
        credentialsField: 'imsEndpoint',
    },
    'export-env': {
        description: `A variable name, such as \`IMS_ACCESS_TOKEN\`. When set, the token is also exported to the later steps of this job under that name. Default: not exported. ${exportEnvRuleText()}`,
    },
    'max-attempts': {
        description: 'Token requests in all, the first included, 1 to 50: a bound on the load one job puts on IMS. Connection faults, timeouts, 429, 500, 502, 503 and 504 are retried with exponential backoff and full jitter, after at least what a Retry-After asks, until `retry-budget` or this count ends them; 1 turns retries off.',
        default: '20',
    },
    'retry-budget': {
        description: 'Seconds the token request may go on retrying, from the first request, 0 to 3600: no retry starts later, and a Retry-After that asks for longer than is left fails the step at once, saying so. The knob for a crowd of jobs against a throttling IMS; the step takes at most this plus one `request-timeout`. The post step that invalidates the token has a budget of its own, 15 s, since it only warns.',
        default: '120',
    },
    'request-timeout': {
        description: 'Seconds one token request may take, from connecting to the last byte of the answer, 1 to 300. After an attempt that runs out of it, the next may take twice as long, up to what is left of `retry-budget`.',
        default: '30',
    },
    'invalidate-token': {
        description: 'Invalidate the token at IMS at the end of the job (a post step, `POST /ims/invalidate_token/v2`), `true` or `false`. When true, the token is kept in the step state for the post step only; a failed invalidation is a warning, never a failed job. `false` leaves the token valid until it expires (about 24 hours).',
        default: 'true',
    },
    summary: {
        description: 'Write a job summary table (flow, client id, org, scopes, expiry, attempts; never a secret), `true` or `false`.',
        default: 'true',
    },
};
const INPUT_NAMES = Object.keys(INPUTS);
const SECRET_INPUTS = INPUT_NAMES.filter((name) => 'secret' in INPUTS[name]);
const FIELD_NAMES = INPUT_NAMES.filter((name) => 'credentialsField' in INPUTS[name]);
function defaultOf(name) {
    return INPUTS[name].default;
}
const MAX_INPUT_LENGTH = 64 * 1024;
function readInputs(getInput) {
    const inputs = {};
    for (const name of INPUT_NAMES) {
        const value = getInput(name).trim();
        if (value.length > MAX_INPUT_LENGTH) {
            throw new InputError(`Input ${name} is ${value.length} characters long; the most this action accepts is ${MAX_INPUT_LENGTH}. Check that the secret or value passed as ${name} is the right one.`);
        }
        inputs[name] = value;
    }
    return inputs;
}

; 
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
; 
function runnerReporter(log) {
    const masked = new Set();
    return {
        maskSecret: (value) => {
            if (!masked.has(value))
                log.setSecret(value);
            masked.add(value);
        },
        info: (message) => log.info(message),
        warning: (message) => log.warning(message),
        debug: (message) => log.debug(message),
    };
}
function quietReporter(reporter) {
    return {
        maskSecret: (value) => reporter.maskSecret(value),
        info: (message) => reporter.debug(message),
        warning: (message) => reporter.debug(message),
        debug: (message) => reporter.debug(message),
    };
}
const SHORTEST_MASK = 4;
function maskSecretText(reporter, text) {
    const pieces = text.split(/\r\n|\r|\n|\\r\\n|\\n|\\r/).map((piece) => piece.trim());
    if (!/[\r\n]/.test(text.trim()))
        pieces.push(text.trim());
    for (const piece of new Set(pieces)) {
        if (piece.length >= SHORTEST_MASK && !/^-----(BEGIN|END) [A-Z0-9 ]+-----$/.test(piece))
            reporter.maskSecret(piece);
    }
}

; 




const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];
const TLS_SWITCH = 'NODE_TLS_REJECT_UNAUTHORIZED';
function maskPassword(password, reporter) {
    if (password === '')
        return;
    maskSecretText(reporter, password);
    try {
        maskSecretText(reporter, decodeURIComponent(password));
    }
    catch {
    }
}
function proxyUrlOf(variable, value, reporter) {
    const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
    const login = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(text)?.[1];
    if (login?.includes(':'))
        maskPassword(login.slice(login.indexOf(':') + 1), reporter);
    const refuse = (why) => new InputError(`The proxy in ${variable} ${why}. Give it as http://host:port (a user and password may come before the host: http://user:password@host:port).`);
    let url;
    try {
        url = new URL(text);
    }
    catch {
        throw refuse('is not a URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw refuse('uses a scheme other than http or https');
    maskPassword(url.password, reporter);
    try {
        decodeURIComponent(url.username);
        decodeURIComponent(url.password);
    }
    catch {
        throw refuse('has a user or password that is not valid percent-encoding (write % itself as %25)');
    }
    return url;
}
function prepareEnvironment(env, reporter) {
    if (env[TLS_SWITCH] !== undefined) {
        delete env[TLS_SWITCH];
        reporter.warning(`${TLS_SWITCH} is set in this step's environment and ignored: this action always verifies IMS's TLS certificate.`);
    }
    for (const variable of PROXY_VARIABLES) {
        const value = env[variable]?.trim();
        if (value)
            env[variable] = proxyUrlOf(variable, value, reporter).href;
        else if (env[variable])
            delete env[variable];
    }
}
const NETWORK_VARIABLES = [
    ...PROXY_VARIABLES,
    'no_proxy',
    'NO_PROXY',
    'all_proxy',
    'ALL_PROXY',
    'NODE_EXTRA_CA_CERTS',
    'NODE_USE_SYSTEM_CA',
    'SSL_CERT_FILE',
    'SSL_CERT_DIR',
    'OPENSSL_CONF',
];
const CERTIFICATE_FILES = ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE'];
const TRUST_OPTIONS = /^--(use-openssl-ca|use-bundled-ca|use-system-ca|openssl-config|openssl-shared-config|tls-)/;
function networkFingerprint(env) {
    const settings = NETWORK_VARIABLES.map((name) => [name, env[name] ?? '']);
    for (const name of CERTIFICATE_FILES) {
        const file = env[name];
        if (!file)
            continue;
        let contents;
        try {
            contents = (0,external_node_crypto_namespaceObject.createHash)('sha256').update((0,external_node_fs_namespaceObject.readFileSync)(file)).digest('hex');
        }
        catch {
            contents = 'unreadable';
        }
        settings.push([`contents of ${name}`, contents]);
    }
    const trustOptions = (env['NODE_OPTIONS'] ?? '').split(/\s+/).filter((option) => TRUST_OPTIONS.test(option));
    settings.push(['NODE_OPTIONS', trustOptions.join(' ')]);
    return (0,external_node_crypto_namespaceObject.createHash)('sha256').update(JSON.stringify(settings)).digest('hex');
}

; 
const OUTPUTS = {
    'access-token': {
        description: 'The IMS access token, masked in the log. Send it as `Authorization: Bearer <token>`. The runner drops masked values from job outputs: get a token in each job that needs one.',
    },
    'token-type': { description: 'The token type as IMS answers it, `bearer`.' },
    'expires-in': {
        description: 'Seconds until the token expires, a whole number rounded down (the JWT exchange answers in milliseconds, /ims/token/v3 in seconds; both become seconds).',
    },
    'expires-at': { description: 'When the token expires, ISO 8601 in UTC, such as `2026-11-26T09:30:00Z`.' },
    'client-id': {
        description: 'The client id (API key) the token was issued to, from the input or `credentials`; not a secret, not masked. Send it as `x-api-key`.',
    },
    'org-id': {
        description: 'The IMS organization id, `…@AdobeOrg`, from the input or `credentials`; not a secret, not masked. Send it as `x-gw-ims-org-id`. Empty when not known (OAuth without an org in `credentials` or inputs).',
    },
    'certificate-expires-at': {
        description: "When the integration's certificate expires, ISO 8601 in UTC, such as `2027-11-26T09:30:00Z`, when the credentials carry one (AEM service credentials do, as `integration.publicKey`); empty otherwise. IMS refuses JWTs signed with its key once it has expired: a scheduled workflow can warn weeks ahead (README, Recipes).",
    },
};
const OUTPUT_NAMES = Object.keys(OUTPUTS);

; 
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
function oneLine(text, maxLength = 200) {
    const flat = text.replace(CONTROL_CHARACTERS, ' ').replace(/ {2,}/g, ' ').trim();
    return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
}
function listOf(items, conjunction = 'and') {
    if (items.length <= 1)
        return items.join('');
    return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1] ?? ''}`;
}
function splitList(text) {
    return text
        .split(/[,\r\n]+/)
        .map((item) => item.trim())
        .filter((item) => item !== '');
}
function capitalized(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
}
function isoSeconds(date) {
    return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

; 


const DEFAULT_IMS_HOST = 'ims-na1.adobelogin.com';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);
function isAdobeImsHost(hostname) {
    return hostname.endsWith('.adobelogin.com');
}
function asGiven(text) {
    return /^[\x21-\x7e]{1,100}$/.test(text) ? ` (${text})` : '';
}
function imsOriginOf(endpoint, from) {
    const text = endpoint.trim();
    const refuse = (why) => new InputError(`${capitalized(from)} ${why}. Give a host such as ${DEFAULT_IMS_HOST} or an https URL under adobelogin.com (http is accepted for 127.0.0.1, [::1] and localhost only).`);
    let url;
    try {
        url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
    }
    catch {
        throw refuse('is neither a host name nor a URL');
    }
    if (url.username !== '' || url.password !== '')
        throw refuse('must not carry a user name or password');
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
        throw refuse(`uses a scheme other than https${asGiven(text)}`);
    if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
        throw refuse('must name only the scheme, host and port, without a path, query or fragment');
    }
    const loopback = LOOPBACK_HOSTS.has(url.hostname);
    if (!loopback && !isAdobeImsHost(url.hostname))
        throw refuse(`names a host that is not an Adobe IMS host${asGiven(text)}`);
    if (!loopback && url.protocol !== 'https:')
        throw refuse('must use https');
    return url.origin;
}
function imsOriginOfField(endpoint) {
    const { value, from } = endpoint ?? { value: DEFAULT_IMS_HOST, from: 'the default IMS host' };
    return imsOriginOf(value, from);
}

; 
const external_node_http_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");
; 

const SHORTEST_SECRET = 4;
const FRAGMENT_LENGTH = 8;
const QUOTE_WINDOW = 2048;
const HTML_HEAD_WINDOW = 8192;
const MOST_TOKENS = 20;
const LONGEST_TOKEN = 16_384;
const SHORTEST_TOKEN = 8;
const INVISIBLE_CHARACTERS = /[\p{Cf}\p{Mn}\p{Me}\u115f\u1160\u3164\uffa0\u2800]/gu;
function visibleText(text) {
    return text.normalize('NFKC').replace(INVISIBLE_CHARACTERS, '');
}
function asciiLowerCase(text) {
    return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}
const reversed = (text) => [...text].reverse().join('');
const everyBytePercentEncoded = (text) => [...Buffer.from(text)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
const lettersAndDigits = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, '');
function echoForms(secret) {
    if (secret.length < SHORTEST_SECRET)
        return [];
    const forms = [
        secret,
        reversed(secret),
        new URLSearchParams({ s: secret }).toString().slice(2),
        encodeURIComponent(secret),
        everyBytePercentEncoded(secret),
        JSON.stringify(secret).slice(1, -1),
        Buffer.from(secret).toString('base64'),
        Buffer.from(secret).toString('base64url'),
    ];
    return [...new Set(forms.map(asciiLowerCase))];
}
const JWT_START = /eyJ[A-Za-z0-9_-]{5,}(\.[A-Za-z0-9_-]*){0,2}/g;
const FEW_WINDOWS = 128;
function markFragments(text, limit, forms, blank) {
    const windowCount = Math.min(text.length - FRAGMENT_LENGTH + 1, limit);
    if (windowCount <= 0)
        return;
    if (windowCount <= FEW_WINDOWS) {
        for (let start = 0; start < windowCount; start++) {
            const window = text.slice(start, start + FRAGMENT_LENGTH);
            if (forms.some((form) => form.includes(window)))
                blank(start, start + FRAGMENT_LENGTH);
        }
        return;
    }
    const windows = new Map();
    for (let start = 0; start < windowCount; start++) {
        const window = text.slice(start, start + FRAGMENT_LENGTH);
        const starts = windows.get(window);
        if (starts)
            starts.push(start);
        else
            windows.set(window, [start]);
    }
    for (const form of forms) {
        for (let start = 0; start + FRAGMENT_LENGTH <= form.length; start++) {
            const starts = windows.get(form.slice(start, start + FRAGMENT_LENGTH));
            if (!starts)
                continue;
            for (const at of starts)
                blank(at, at + FRAGMENT_LENGTH);
            windows.delete(form.slice(start, start + FRAGMENT_LENGTH));
        }
    }
}
class Redactor {
    forms;
    bareForms;
    longestForm;
    constructor(secrets) {
        const plain = secrets.map(visibleText);
        this.forms = [...new Set(plain.flatMap(echoForms))];
        this.bareForms = [
            ...new Set(plain
                .filter((secret) => secret.length >= SHORTEST_SECRET)
                .flatMap((secret) => [lettersAndDigits(secret), lettersAndDigits(reversed(secret))])),
        ];
        this.longestForm = Math.max(0, ...this.forms.map((form) => form.length));
    }
    secretCharacters(text, limit = text.length) {
        const lower = asciiLowerCase(text);
        const blank = new Uint8Array(text.length);
        const fill = (from, to) => void blank.fill(1, from, to);
        for (const form of this.forms) {
            for (let at = lower.indexOf(form); at >= 0 && at < limit; at = lower.indexOf(form, at + 1))
                fill(at, at + form.length);
        }
        markFragments(lower, limit, this.forms, fill);
        const positions = [];
        let bare = '';
        for (let at = 0; at < Math.min(lower.length, limit + FRAGMENT_LENGTH); at++) {
            if (/[a-z0-9]/.test(lower.charAt(at))) {
                positions.push(at);
                bare += lower.charAt(at);
            }
        }
        markFragments(bare, bare.length, this.bareForms, (from, to) => fill(positions[from] ?? 0, (positions[to - 1] ?? 0) + 1));
        for (const match of text.slice(0, limit + this.longestForm).matchAll(JWT_START))
            fill(match.index, match.index + match[0].length);
        return blank;
    }
    isClean(text) {
        return text === visibleText(text) && !this.secretCharacters(text).includes(1);
    }
    quote(text, maxLength) {
        const scanned = visibleText(text.slice(0, QUOTE_WINDOW + this.longestForm));
        const end = Math.min(scanned.length, QUOTE_WINDOW);
        const blank = this.secretCharacters(scanned, end);
        let quoted = '';
        for (let at = 0; at < end;) {
            if (blank[at]) {
                quoted += '***';
                while (at < scanned.length && blank[at])
                    at++;
            }
            else {
                const from = at;
                while (at < end && !blank[at])
                    at++;
                quoted += scanned.slice(from, at);
            }
        }
        const line = oneLine(quoted, maxLength);
        return text.length > QUOTE_WINDOW && !line.endsWith('…') ? `${line}…` : line;
    }
}
function htmlTitleOf(html) {
    const head = html.slice(0, HTML_HEAD_WINDOW);
    const lower = asciiLowerCase(head);
    for (let open = lower.indexOf('<title'); open >= 0; open = lower.indexOf('<title', open + 1)) {
        if (!/[\s>/]/.test(lower.charAt(open + 6)))
            continue;
        const start = lower.indexOf('>', open);
        if (start < 0)
            return undefined;
        const end = lower.indexOf('</title', start);
        return end < 0 ? undefined : head.slice(start + 1, end);
    }
    return undefined;
}
const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const TOKEN_CHARACTER_RUNS = /[A-Za-z0-9_.-]{16,}/g;
function accessTokenFieldValues(text, found) {
    const key = '"access_token"';
    for (let at = text.indexOf(key); at >= 0 && found.size < MOST_TOKENS; at = text.indexOf(key, at + key.length)) {
        let start = at + key.length;
        while (/\s/.test(text.charAt(start)))
            start++;
        if (text.charAt(start) !== ':')
            continue;
        start++;
        while (/\s/.test(text.charAt(start)))
            start++;
        if (text.charAt(start) !== '"')
            continue;
        start++;
        let end = start;
        while (end < text.length && end - start < LONGEST_TOKEN && text.charAt(end) !== '"')
            end += text.charAt(end) === '\\' ? 2 : 1;
        const raw = text.slice(start, Math.min(end, text.length));
        if (raw.length < SHORTEST_TOKEN)
            continue;
        found.add(raw);
        try {
            found.add(String(JSON.parse(`"${raw}"`)));
        }
        catch {
        }
    }
}
const MOST_TOKEN_CHARACTERS = 2 * LONGEST_TOKEN;
function tokenLookalikes(text) {
    const found = new Set();
    accessTokenFieldValues(text, found);
    for (const [run] of text.matchAll(TOKEN_CHARACTER_RUNS)) {
        if (found.size >= MOST_TOKENS)
            break;
        const at = run.indexOf('eyJ');
        if (at < 0)
            continue;
        const candidate = run
            .slice(at, at + 3 * LONGEST_TOKEN)
            .split('.', 3)
            .join('.');
        if (candidate.length <= LONGEST_TOKEN && JWT_SHAPE.test(candidate))
            found.add(candidate);
    }
    const tokens = [];
    let characters = 0;
    for (const value of found) {
        if (value.length < SHORTEST_TOKEN || tokens.length >= MOST_TOKENS || characters + value.length > MOST_TOKEN_CHARACTERS)
            continue;
        tokens.push(value);
        characters += value.length;
    }
    return tokens;
}
const KNOWN_MEDIA_TYPES = new Set([
    'application/json',
    'application/problem+json',
    'application/javascript',
    'application/xml',
    'application/xhtml+xml',
    'application/x-www-form-urlencoded',
    'application/octet-stream',
    'text/html',
    'text/plain',
    'text/xml',
    'text/css',
    'text/javascript',
]);
const PLAUSIBLE_DEBUG_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,64})$/i;
const PLAUSIBLE_ERROR_CODE = /^[a-z]{2,20}(_[a-z]{2,20}){0,4}$/;
const PLAUSIBLE_TOKEN_TYPE = /^[A-Za-z]{2,16}$/;
function quotableMediaType(contentType, redactor) {
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
    if (mediaType === '')
        return 'no content type';
    return KNOWN_MEDIA_TYPES.has(mediaType) && redactor.isClean(mediaType) ? mediaType : 'an unusual content type';
}
function quotableDebugId(debugId, redactor) {
    return debugId !== undefined && PLAUSIBLE_DEBUG_ID.test(debugId) && redactor.isClean(debugId) ? debugId : undefined;
}
function quotableErrorCode(error, redactor) {
    return PLAUSIBLE_ERROR_CODE.test(error) && redactor.isClean(error) ? error : undefined;
}
function quotableTokenType(tokenType, redactor) {
    return typeof tokenType === 'string' && PLAUSIBLE_TOKEN_TYPE.test(tokenType) && redactor.isClean(tokenType) ? tokenType : undefined;
}

; 
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_SHARE_OF_BUDGET = 1 / 8;
const MIN_BACKOFF_CAP_MS = 1_000;
const MAX_BACKOFF_CAP_MS = 60_000;
const RETRY_AFTER_JITTER_SHARE = 0.5;
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
const realSleep = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));
function backoffCapMs(budgetMs) {
    return Math.min(MAX_BACKOFF_CAP_MS, Math.max(MIN_BACKOFF_CAP_MS, Math.floor(budgetMs * BACKOFF_CAP_SHARE_OF_BUDGET)));
}
function backoffBoundMs(retry, budgetMs) {
    return Math.min(backoffCapMs(budgetMs), BACKOFF_BASE_MS * 2 ** (retry - 1));
}
function backoffDelayMs(retry, budgetMs, random) {
    return Math.floor(random() * backoffBoundMs(retry, budgetMs));
}
function retryAfterMs(header, now) {
    const value = header?.trim();
    if (!value)
        return undefined;
    if (/^\d+$/.test(value))
        return Number(value) * 1000;
    if (!/[a-z]/i.test(value))
        return undefined;
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
function secondsText(milliseconds) {
    return `${(milliseconds / 1000).toFixed(1)} s`;
}
function waitBefore(retry, retryAfter, leftMs, budgetMs, random) {
    const wanted = retryAfter === undefined
        ? backoffDelayMs(retry, budgetMs, random)
        : retryAfter + Math.floor(random() * RETRY_AFTER_JITTER_SHARE * backoffBoundMs(retry, budgetMs));
    const milliseconds = Math.max(0, Math.min(wanted, leftMs));
    const cut = milliseconds < wanted ? ', cut to what is left of retry-budget' : '';
    if (retryAfter === undefined)
        return { milliseconds, why: `backoff with jitter${cut}` };
    return { milliseconds, why: `Retry-After asks for ${secondsText(retryAfter)}, plus ${secondsText(milliseconds - retryAfter)} of jitter` };
}
function longerTimeoutMs(lastTimeoutMs, requestTimeoutMs, leftAtStartMs) {
    return Math.max(requestTimeoutMs, Math.min(2 * lastTimeoutMs, leftAtStartMs));
}

; 




function headerValue(answer, name) {
    const value = answer.headers[name];
    return Array.isArray(value) ? value[0] : value;
}
function secretsSent(request, sent) {
    return Object.entries(sent)
        .filter(([name]) => request.secretFields.includes(name))
        .map(([, value]) => value);
}
function maskTokenLookalikes(answer, reporter) {
    for (const token of tokensOf(answer))
        maskSecretText(reporter, token);
}
const TOKENS_OF_ANSWER = new WeakMap();
function tokensOf(answer) {
    let tokens = TOKENS_OF_ANSWER.get(answer);
    if (!tokens)
        TOKENS_OF_ANSWER.set(answer, (tokens = tokenLookalikes(answer.body)));
    return tokens;
}
const REDACTOR_OF_ANSWER = new WeakMap();
function redactorFor(answer, secrets) {
    let redactor = REDACTOR_OF_ANSWER.get(answer);
    if (!redactor)
        REDACTOR_OF_ANSWER.set(answer, (redactor = new Redactor([...secrets, ...tokensOf(answer)])));
    return redactor;
}
function contentTypeOf(answer, redactor) {
    return quotableMediaType(headerValue(answer, 'content-type'), redactor);
}
function debugIdNote(answer, redactor) {
    const debugId = quotableDebugId(headerValue(answer, 'x-debug-id'), redactor);
    return debugId ? ` (x-debug-id ${debugId})` : '';
}
function answerOutline(answer, secrets) {
    const redactor = redactorFor(answer, secrets);
    return `${answer.status} (${contentTypeOf(answer, redactor)})${debugIdNote(answer, redactor)}`;
}
function jsonObjectOf(answer) {
    try {
        const value = JSON.parse(answer.body);
        return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
    }
    catch {
        return undefined;
    }
}
function imsErrorOf(body, redactor) {
    if (!body || typeof body['error'] !== 'string')
        return undefined;
    const description = typeof body['error_description'] === 'string' ? body['error_description'] : '';
    return { error: quotableErrorCode(body['error'], redactor) ?? 'an unusual error code', description: redactor.quote(description, 200) };
}
const isSuccess = (status) => status >= 200 && status < 300;
function describeBody(answer, json, redactor) {
    const text = answer.body.trim();
    if (text === '')
        return 'an empty body';
    if (json)
        return 'JSON without a usable access_token or error field';
    const html = /html/i.test(headerValue(answer, 'content-type') ?? '') || /^<(!doctype|html|head|body)/i.test(text);
    if (isSuccess(answer.status))
        return html ? 'an HTML page' : 'a body that is not a JSON object (not quoted: it may hold a token)';
    if (html) {
        const title = htmlTitleOf(text);
        return title?.trim() ? `an HTML page titled "${redactor.quote(title, 80)}"` : 'an HTML page';
    }
    return `"${redactor.quote(text, 100)}"`;
}
function serverSideHint(status) {
    return status >= 500
        ? 'IMS had a problem on its side: try again later, and quote the x-debug-id to Adobe support if it persists.'
        : undefined;
}
function failureOfAnswer(answer, request, attempt, without) {
    const redactor = redactorFor(answer, secretsSent(request, attempt.sent));
    const json = jsonObjectOf(answer);
    const imsError = imsErrorOf(json, redactor);
    const statusText = external_node_http_namespaceObject.STATUS_CODES[answer.status] ? ` ${external_node_http_namespaceObject.STATUS_CODES[answer.status]}` : '';
    const retryable = RETRYABLE_STATUSES.has(answer.status);
    const contentType = contentTypeOf(answer, redactor);
    return {
        message: failureMessage(answer, request, { imsError, statusText, contentType, without }, json, redactor),
        summary: `IMS answered ${answer.status}${imsError ? ` ${imsError.error}` : statusText} (${contentType})`,
        retryable,
        retryAfterMs: retryable ? retryAfterMs(headerValue(answer, 'retry-after'), attempt.answeredAt) : undefined,
    };
}
function failureMessage(answer, request, { imsError, statusText, contentType, without }, json, redactor) {
    const { status } = answer;
    const debugId = debugIdNote(answer, redactor);
    if (status >= 300 && status < 400) {
        return `IMS answered ${request.operation} with a redirect (${status})${debugId}, which this action does not follow: the request carries secrets. Check ims-endpoint; it must name IMS itself.`;
    }
    if (imsError && status >= 400) {
        const hint = request.hint(imsError, status);
        return `IMS rejected ${request.operation} (${status} ${imsError.error}): ${imsError.description || 'no description'}${debugId}.${hint ? ` ${hint}` : ''}`;
    }
    const lacking = isSuccess(status) ? without : '';
    const hint = serverSideHint(status);
    return `IMS answered ${request.operation} with ${status}${statusText} (${contentType})${lacking}: ${describeBody(answer, json, redactor)}${debugId}.${hint ? ` ${hint}` : ''}`;
}
const LONGEST_LIFETIME_MS = 366 * 24 * 60 * 60 * 1000;
function expiresInMilliseconds(value, unit) {
    const amount = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isFinite(amount) || amount < 0)
        return undefined;
    const milliseconds = unit === 'milliseconds' ? amount : amount * 1000;
    return milliseconds <= LONGEST_LIFETIME_MS ? milliseconds : undefined;
}
function readTokenAnswer(answer, request, attempt, reporter) {
    const json = (isSuccess(answer.status) ? jsonObjectOf(answer) : undefined) ?? {};
    const accessToken = json['access_token'];
    if (typeof accessToken !== 'string' || accessToken === '')
        return { failure: failureOfAnswer(answer, request, attempt, ' without an access token') };
    if (accessToken.length > LONGEST_TOKEN) {
        const message = `IMS answered ${request.operation} with an access_token of ${accessToken.length} characters, longer than any IMS token (${LONGEST_TOKEN}): not used.`;
        return { failure: { message, summary: message, retryable: false, retryAfterMs: undefined } };
    }
    reporter.maskSecret(accessToken);
    const expiresInMs = expiresInMilliseconds(json['expires_in'], request.expiresInUnit);
    if (expiresInMs === undefined) {
        const redactor = redactorFor(answer, secretsSent(request, attempt.sent));
        const message = `IMS answered ${request.operation} with an access token but without a usable expires_in${debugIdNote(answer, redactor)}.`;
        return { failure: { message, summary: message, retryable: false, retryAfterMs: undefined } };
    }
    const tokenType = quotableTokenType(json['token_type'], redactorFor(answer, secretsSent(request, attempt.sent)));
    if (tokenType === undefined && json['token_type'] !== undefined)
        reporter.debug('IMS answered a token_type that is not one short word free of secrets: not quoted, taken as bearer.');
    return {
        result: {
            accessToken,
            tokenType: tokenType ?? 'bearer',
            expiresInSeconds: Math.floor(expiresInMs / 1000),
            expiresAt: new Date(attempt.sentAt + expiresInMs),
        },
    };
}
function readInvalidationAnswer(answer, request, attempt) {
    if (isSuccess(answer.status))
        return { result: true };
    return { failure: failureOfAnswer(answer, request, attempt, '') };
}

; 



const USER_AGENT = 'aem-ims-token-action';
const MAX_BODY_BYTES = 1024 * 1024;
class TransportFault extends Error {
    transient;
    name = 'TransportFault';
    constructor(message, 
    transient = true) {
        super(message);
        this.transient = transient;
    }
}
const TRANSIENT_CONNECTION_ERRORS = {
    ECONNREFUSED: 'the connection was refused',
    ECONNRESET: 'the connection was reset',
    ECONNABORTED: 'the connection was aborted',
    EPIPE: 'the connection was closed while sending',
    ETIMEDOUT: 'connecting timed out',
    ENOTFOUND: 'the host name was not found (DNS)',
    EAI_AGAIN: 'the host name could not be looked up for now (DNS)',
    EHOSTUNREACH: 'the host could not be reached',
    ENETUNREACH: 'the network could not be reached',
};
const UNTRUSTED_CERTIFICATE = /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_UNTRUSTED|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID)$/;
function attemptHandler(signal) {
    return {
        prepareRequest(options) {
            options.signal = signal;
            options.rejectUnauthorized = true;
            const agent = options.agent;
            if (typeof agent === 'object' && agent !== null && 'proxyOptions' in agent && 'options' in agent) {
                Object.assign(agent.options, { rejectUnauthorized: true });
                sendProxyCredentialsItself(agent);
            }
            if (options.host?.startsWith('[') && options.host.endsWith(']'))
                options.host = options.host.slice(1, -1);
        },
        canHandleAuthentication: () => false,
        handleAuthentication: () => Promise.reject(new Error('not used')),
    };
}
function sendProxyCredentialsItself(agent) {
    const credentials = agent.proxyOptions.proxyAuth;
    if (!credentials)
        return;
    delete agent.proxyOptions.proxyAuth;
    const request = agent.request;
    const authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    agent.request = (options) => request({ ...options, headers: { ...options.headers, 'Proxy-Authorization': authorization } });
}
function readBody(message, signal) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        const cutShort = () => reject(new TransportFault(`the connection closed before the whole answer arrived (status ${message.statusCode ?? 0})`));
        message.on('data', (chunk) => {
            if (size < MAX_BODY_BYTES)
                chunks.push(chunk);
            size += chunk.length;
        });
        message.on('end', () => resolve(Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8')));
        message.on('error', () => (signal.aborted ? undefined : cutShort()));
        message.on('close', () => (message.complete || signal.aborted ? undefined : cutShort()));
        signal.addEventListener('abort', () => reject(new TransportFault('aborted')), { once: true });
    });
}
function connectionFault(error, timeoutMs) {
    const rawCode = error.code;
    const code = typeof rawCode === 'string' ? rawCode : '';
    const rawMessage = error.message;
    const message = oneLine(typeof rawMessage === 'string' ? rawMessage : String(error));
    if (UNTRUSTED_CERTIFICATE.test(code)) {
        return new TransportFault(`the TLS certificate was not trusted (${code}: ${message}). If your network inspects TLS, set NODE_EXTRA_CA_CERTS in the step's env to a file holding its CA certificate, or, where that CA is installed in the operating system's certificate store, NODE_USE_SYSTEM_CA=1 (Node.js 24) to trust that store`, false);
    }
    const proxyStatus = /tunneling socket could not be established, statusCode=(\d{3})/.exec(message)?.[1];
    if (proxyStatus)
        return proxyFault(Number(proxyStatus));
    if (code === 'EPROTO' && /wrong version number|packet length too long|http request/i.test(message)) {
        return new TransportFault(`the server did not answer TLS (${code}: ${message}): it may speak plain http. Check the scheme of ims-endpoint: a host without a scheme means https; give http://host:port for a local emulator. Gave up: another attempt would fail the same way`, false);
    }
    if (message.startsWith('Request timeout'))
        return timeoutFault(timeoutMs);
    const plain = TRANSIENT_CONNECTION_ERRORS[code];
    return plain ? new TransportFault(`${plain} (${code}: ${message})`) : new TransportFault(code ? `${code}: ${message}` : message, false);
}
function proxyFault(status) {
    const reason = external_node_http_namespaceObject.STATUS_CODES[status] ? ` ${external_node_http_namespaceObject.STATUS_CODES[status]}` : '';
    if (status === 407) {
        return new TransportFault('the proxy wants credentials it did not get or did not accept (407 Proxy Authentication Required): check the user and password in the proxy variable (http://user:password@host:port, with special characters percent-encoded). Gave up: another attempt would fail the same way', false);
    }
    if (status >= 500)
        return new TransportFault(`the proxy answered ${status}${reason} instead of connecting to IMS: it could not reach IMS`);
    return new TransportFault(`the proxy refused to connect to IMS (${status}${reason}): check that it lets this runner reach IMS's host`, false);
}
const timeoutFault = (timeoutMs) => new TransportFault(`no whole answer within ${timeoutMs / 1000} s`);
function rejectOnAbort(signal) {
    return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new TransportFault('aborted')), { once: true }));
}
async function postForm(url, fields, timeoutMs) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const aborted = rejectOnAbort(controller.signal);
    aborted.catch(() => undefined);
    const client = new HttpClient(USER_AGENT, [attemptHandler(controller.signal)], {
        allowRedirects: false,
        allowRetries: false,
        keepAlive: false,
        socketTimeout: timeoutMs,
    });
    try {
        const request = client.request('POST', url, new URLSearchParams(fields).toString(), {
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
        });
        request.catch(() => undefined);
        const response = await Promise.race([request, aborted]);
        const body = await readBody(response.message, controller.signal);
        return {
            status: response.message.statusCode ?? 0,
            headers: response.message.headers,
            body,
        };
    }
    catch (error) {
        if (controller.signal.aborted)
            throw timeoutFault(timeoutMs);
        if (error instanceof TransportFault)
            throw error;
        throw connectionFault(error, timeoutMs);
    }
    finally {
        clearTimeout(timer);
        client.dispose();
    }
}

; 





function failureOfFault(fault, request) {
    return {
        message: `Could not get an answer from IMS for ${request.operation} at ${new URL(request.url).host}: ${fault.message}.`,
        summary: fault.message,
        retryable: fault.transient,
        retryAfterMs: undefined,
    };
}
const TIMER_SLACK_MS = 20;
const timeoutText = (milliseconds) => `${milliseconds / 1000} s`;
const attemptsText = (attempts, milliseconds) => `${attempts} ${attempts === 1 ? 'attempt' : 'attempts'} over ${secondsText(milliseconds)}`;
async function sendImsRequest(request, reporter, settings) {
    const proxy = getProxyUrl(new URL(request.url));
    if (proxy)
        reporter.info(`Connecting through the proxy ${proxy.host} (from the environment's proxy settings).`);
    const { maxAttempts, budgetMs } = settings;
    const budgetText = `${settings.budgetName ?? 'retry-budget'} (${budgetMs / 1000} s)`;
    const startedAt = settings.now();
    let timeoutMs = settings.timeoutMs;
    for (let attempt = 1;; attempt++) {
        const sent = await request.form();
        reporter.debug(`POST ${request.url} with the form fields ${Object.keys(sent).join(', ')} (attempt ${attempt} of ${maxAttempts}, time limit ${timeoutText(timeoutMs)})`);
        const sentAt = settings.now();
        let reading;
        let faulted = false;
        try {
            const answer = await postForm(request.url, sent, timeoutMs);
            maskTokenLookalikes(answer, reporter);
            reporter.debug(`IMS answered ${answerOutline(answer, secretsSent(request, sent))}`);
            reading = request.read(answer, { sent, sentAt, answeredAt: settings.now() }, reporter);
        }
        catch (error) {
            if (!(error instanceof TransportFault))
                throw error;
            faulted = true;
            reading = { failure: failureOfFault(error, request) };
        }
        if ('result' in reading)
            return { result: reading.result, attempts: attempt };
        const { failure } = reading;
        const now = settings.now();
        const spent = attemptsText(attempt, now - startedAt);
        if (!failure.retryable)
            throw new ImsRequestError(`${failure.message}${attempt > 1 ? ` This was attempt ${attempt} of ${maxAttempts}.` : ''}`);
        if (attempt >= maxAttempts)
            throw new ImsRequestError(`${failure.message} Gave up after ${spent} (max-attempts is ${maxAttempts}).`);
        const leftMs = budgetMs - (now - startedAt);
        if (leftMs <= 0)
            throw new ImsRequestError(`${failure.message} Gave up after ${spent}: ${budgetText} is spent.`);
        const { retryAfterMs } = failure;
        if (retryAfterMs !== undefined && retryAfterMs > leftMs) {
            const enough = Math.ceil(((budgetMs - leftMs + retryAfterMs) / 1000 + 1) / 10) * 10;
            const advice = settings.budgetName === undefined ? ` To wait it out, set retry-budget to ${enough} or more.` : '';
            throw new ImsRequestError(`${failure.message} IMS asked to wait ${secondsText(retryAfterMs)} (Retry-After), more than the ${secondsText(leftMs)} left of ${budgetText}, so the step gave up at once after ${spent}.${advice}`);
        }
        const wait = waitBefore(attempt, retryAfterMs, leftMs, budgetMs, settings.random);
        let longer = '';
        const leftAtNextMs = leftMs - wait.milliseconds;
        if (faulted && now - sentAt >= timeoutMs - TIMER_SLACK_MS) {
            const next = longerTimeoutMs(timeoutMs, settings.timeoutMs, leftAtNextMs);
            if (next > timeoutMs)
                longer = `, and allowing ${timeoutText(next)} for the next attempt instead of ${timeoutText(timeoutMs)}`;
            timeoutMs = next;
        }
        else {
            timeoutMs = Math.max(settings.timeoutMs, Math.min(timeoutMs, leftAtNextMs));
        }
        reporter.info(`Attempt ${attempt} of ${maxAttempts} failed: ${failure.summary}; retrying in ${secondsText(wait.milliseconds)} (${wait.why})${longer}.`);
        await settings.sleep(wait.milliseconds);
    }
}
async function requestImsToken(request, reporter, settings) {
    const read = (answer, attempt, masker) => readTokenAnswer(answer, request, attempt, masker);
    const { result, attempts } = await sendImsRequest({ ...request, read }, reporter, settings);
    return { ...result, attempts };
}

; 



function checked(field, pattern, expected) {
    if (!pattern.test(field.value))
        throw new InputError(`${capitalized(field.from)} does not look like ${expected}. Check that the right value is passed.`);
    return field.value;
}
const clientIdOf = (field) => checked(field, /^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$/, 'a client id (letters, digits, ".", "_" and "-")');
const clientSecretOf = (field) => checked(field, /^[\x21-\x7e]{1,1024}$/, 'a client secret (printable characters without spaces)');
const technicalAccountIdOf = (field) => checked(field, /^[A-Za-z0-9._-]{1,200}@techacct\.adobe\.com$/i, 'a technical account id (…@techacct.adobe.com)');
const orgIdOf = (field) => checked(field, /^[A-Za-z0-9._-]{1,200}@AdobeOrg$/i, 'an IMS organization id (…@AdobeOrg)');
function metascopesOf(field) {
    return field.value.map((metascope) => checked({ value: metascope, from: field.from }, /^([A-Za-z0-9._-]{1,200}|https?:\/\/[A-Za-z0-9.-]+(:\d+)?\/s\/[A-Za-z0-9._-]{1,200})$/, 'a list of metascopes (names such as ent_aem_cloud_api, or https://<ims host>/s/<name>)'));
}
function scopesOf(field) {
    return field.value.map((scope) => checked({ value: scope, from: field.from }, /^[A-Za-z0-9._:/-]{1,200}$/, 'a list of OAuth scopes (such as openid, AdobeID, read_organizations)'));
}
function exportEnvNameOf(value) {
    if (value === '')
        return undefined;
    const refusal = exportEnvRefusal(value);
    if (refusal)
        throw new InputError(refusal);
    return value;
}
function wholeNumberOf(value, name, fallback, min, max) {
    if (value === '')
        return fallback;
    if (!/^\d{1,6}$/.test(value) || Number(value) < min || Number(value) > max) {
        throw new InputError(`Input ${name} must be a whole number from ${min} to ${max} (default ${fallback}).`);
    }
    return Number(value);
}
function booleanOf(value, name, fallback) {
    if (value === '')
        return fallback;
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    throw new InputError(`Input ${name} must be true or false (default ${String(fallback)}).`);
}

; 




const clientCredentialsHint = ({ error, description }, status) => {
    const text = description.toLowerCase();
    switch (error) {
        case 'invalid_client':
            if (text.includes('client_secret') || status === 401)
                return 'Check client-secret: it is not a secret of this client id.';
            return 'Check client-id: IMS knows no OAuth Server-to-Server credential with this client id.';
        case 'unauthorized_client':
            return 'This client is not set up for OAuth Server-to-Server: use the client id and secret of an OAuth Server-to-Server credential, or, for AEM service credentials, set auth-type to jwt or auto (the default).';
        case 'invalid_scope':
            return "The scopes are not those of the credential: compare scopes with the credential's scopes in the Developer Console project.";
        default:
            return serverSideHint(status);
    }
};
const NEEDS = ['client-id', 'client-secret', 'scopes'];
const oauthServerToServer = {
    name: 'OAuth Server-to-Server',
    needs: NEEDS,
    ownInputs: ['scopes'],
    ownJsonFields: ['scopes'],
    autoChoice: (fields, signals) => signals.length > 0 || (fields['client-id'] && fields['client-secret'])
        ? 'a client id and secret are given without a private key'
        : undefined,
    credentialsFrom(fields) {
        const orgId = fields['org-id'] && orgIdOf(fields['org-id']);
        return {
            imsOrigin: imsOriginOfField(fields['ims-endpoint']),
            clientId: clientIdOf(fields['client-id']),
            clientSecret: clientSecretOf(fields['client-secret']),
            scopes: scopesOf(fields.scopes),
            orgId,
            certificateExpiresAt: undefined,
        };
    },
    getToken(credentials, reporter, settings) {
        return requestImsToken({
            url: `${credentials.imsOrigin}/ims/token/v3`,
            form: () => Promise.resolve({
                grant_type: 'client_credentials',
                client_id: credentials.clientId,
                client_secret: credentials.clientSecret,
                scope: credentials.scopes.join(','),
            }),
            secretFields: ['client_secret'],
            operation: 'the client-credentials request',
            expiresInUnit: 'seconds',
            hint: clientCredentialsHint,
        }, reporter, settings);
    },
    hint: clientCredentialsHint,
    requestedScopes: (credentials) => credentials.scopes,
};

; 



const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
const RENEW = 'Make a new key pair and certificate for the integration in the AEM Developer Console (or upload a new certificate), then update the secret.';
function checkCertificate(certificate, privateKey, now, reporter) {
    let parsed;
    try {
        parsed = new external_node_crypto_namespaceObject.X509Certificate(certificate.value.replace(/\\r\\n|\\n/g, '\n'));
    }
    catch {
        reporter.warning(`${capitalized(certificate.from)} could not be read as an X.509 certificate, so its expiry was not checked.`);
        return undefined;
    }
    const expiresAt = Date.parse(parsed.validTo);
    const date = new Date(expiresAt).toISOString().slice(0, 10);
    if (expiresAt <= now) {
        throw new InputError(`The integration's certificate (${certificate.from}) expired on ${date}: IMS refuses JWTs signed with its key. ${RENEW}`);
    }
    const daysLeft = Math.floor((expiresAt - now) / DAY_MS);
    if (expiresAt - now <= EXPIRY_WARNING_DAYS * DAY_MS) {
        reporter.warning(`The integration's certificate (${certificate.from}) expires on ${date}, in ${daysLeft} ${daysLeft === 1 ? 'day' : 'days'}. ${RENEW}`);
    }
    if (!parsed.checkPrivateKey(privateKey)) {
        reporter.warning(`The private key does not match the integration's certificate (${certificate.from}): IMS will refuse the JWT unless the key belongs to another certificate of the integration. Check that private-key and credentials belong together.`);
    }
    return new Date(expiresAt);
}

; 
const encoder = new TextEncoder(), decoder = new TextDecoder(), buffer_utils_strictDecoder = new TextDecoder("utf-8", { fatal: !0 }), UINT32_RANGE = (  null && (2 ** 32));
function concat(...buffers) {
  const size = buffers.reduce((acc, { length }) => acc + length, 0), buf = new Uint8Array(size);
  let i = 0;
  for (const buffer of buffers)
    buf.set(buffer, i), i += buffer.length;
  return buf;
}
function writeUInt32BE(buf, value, offset) {
  if (value < 0 || value >= UINT32_RANGE)
    throw new RangeError(`value must be >= 0 and <= ${UINT32_RANGE - 1}. Received ${value}`);
  buf.set([value >>> 24, value >>> 16, value >>> 8, value & 255], offset);
}
function uint64be(value) {
  const high = Math.floor(value / UINT32_RANGE), low = value % UINT32_RANGE, buf = new Uint8Array(8);
  return writeUInt32BE(buf, high, 0), writeUInt32BE(buf, low, 4), buf;
}
function uint32be(value) {
  const buf = new Uint8Array(4);
  return writeUInt32BE(buf, value), buf;
}
const NON_ASCII = /[^\x00-\x7f]/;
function buffer_utils_encode(string) {
  if (typeof string == "string" && string.length >= 128) {
    if (NON_ASCII.test(string))
      throw new TypeError("non-ASCII string encountered in encode()");
    return encoder.encode(string);
  }
  const bytes = new Uint8Array(string.length);
  for (let i = 0; i < string.length; i++) {
    const code = string.charCodeAt(i);
    if (code > 127)
      throw new TypeError("non-ASCII string encountered in encode()");
    bytes[i] = code;
  }
  return bytes;
}
function encodeBase64(input, url = !1) {
  if (Uint8Array.prototype.toBase64)
    return input.toBase64({ alphabet: url ? "base64url" : "base64", omitPadding: url });
  const CHUNK_SIZE = 32768, arr = [];
  for (let i = 0; i < input.length; i += CHUNK_SIZE)
    arr.push(String.fromCharCode.apply(null, input.subarray(i, i + CHUNK_SIZE)));
  const encoded = btoa(arr.join(""));
  return url ? encoded.replace(/=/g, "").replace(/\+/g, "-").replace(/\//g, "_") : encoded;
}
function decodeBase64(encoded, url = !1) {
  if (Uint8Array.fromBase64)
    return Uint8Array.fromBase64(encoded, { alphabet: url ? "base64url" : "base64" });
  if (url) {
    if (encoded.includes("+") || encoded.includes("/"))
      throw new TypeError("Invalid base64url");
    encoded = encoded.replace(/-/g, "+").replace(/_/g, "/");
  }
  const binary = atob(encoded), bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++)
    bytes[i] = binary.charCodeAt(i);
  return bytes;
}
async function digest(algorithm, data) {
  const subtleDigest = `SHA-${algorithm.slice(-3)}`;
  return new Uint8Array(await crypto.subtle.digest(subtleDigest, data));
}


; 

const invalid = "The input to be decoded is not correctly encoded.";
function base64url_decode(input) {
  try {
    return decodeBase64(typeof input == "string" ? input : decoder.decode(input), !0);
  } catch (cause) {
    throw new TypeError(invalid, { cause });
  }
}
function base64url_encode(input) {
  return encodeBase64(typeof input == "string" ? encoder.encode(input) : input, !0);
}


; 
class JOSEError extends Error {
  static code = "ERR_JOSE_GENERIC";
  code = "ERR_JOSE_GENERIC";
  constructor(message, options) {
    super(message, options), this.name = this.constructor.name, Error.captureStackTrace?.(this, this.constructor);
  }
}
class errors_JWTClaimValidationFailed extends JOSEError {
  static code = "ERR_JWT_CLAIM_VALIDATION_FAILED";
  code = "ERR_JWT_CLAIM_VALIDATION_FAILED";
  claim;
  reason;
  payload;
  constructor(message, payload, claim = "unspecified", reason = "unspecified") {
    super(message, { cause: { claim, reason, payload } }), this.claim = claim, this.reason = reason, this.payload = payload;
  }
}
class errors_JWTExpired extends JOSEError {
  static code = "ERR_JWT_EXPIRED";
  code = "ERR_JWT_EXPIRED";
  claim;
  reason;
  payload;
  constructor(message, payload, claim = "unspecified", reason = "unspecified") {
    super(message, { cause: { claim, reason, payload } }), this.claim = claim, this.reason = reason, this.payload = payload;
  }
}
class JOSEAlgNotAllowed extends (  null && (JOSEError)) {
  static code = (  null && ("ERR_JOSE_ALG_NOT_ALLOWED"));
  code = "ERR_JOSE_ALG_NOT_ALLOWED";
}
class JOSENotSupported extends JOSEError {
  static code = "ERR_JOSE_NOT_SUPPORTED";
  code = "ERR_JOSE_NOT_SUPPORTED";
}
class JWEDecryptionFailed extends JOSEError {
  static code = "ERR_JWE_DECRYPTION_FAILED";
  code = "ERR_JWE_DECRYPTION_FAILED";
  constructor(message = "decryption operation failed", options) {
    super(message, options);
  }
}
class JWEInvalid extends (  null && (JOSEError)) {
  static code = (  null && ("ERR_JWE_INVALID"));
  code = "ERR_JWE_INVALID";
}
class JWSInvalid extends JOSEError {
  static code = "ERR_JWS_INVALID";
  code = "ERR_JWS_INVALID";
}
class errors_JWTInvalid extends JOSEError {
  static code = "ERR_JWT_INVALID";
  code = "ERR_JWT_INVALID";
}
class JWKInvalid extends (  null && (JOSEError)) {
  static code = (  null && ("ERR_JWK_INVALID"));
  code = "ERR_JWK_INVALID";
}
class JWKSInvalid extends (  null && (JOSEError)) {
  static code = (  null && ("ERR_JWKS_INVALID"));
  code = "ERR_JWKS_INVALID";
}
class JWKSNoMatchingKey extends JOSEError {
  static code = "ERR_JWKS_NO_MATCHING_KEY";
  code = "ERR_JWKS_NO_MATCHING_KEY";
  constructor(message = "no applicable key found in the JSON Web Key Set", options) {
    super(message, options);
  }
}
class JWKSMultipleMatchingKeys extends JOSEError {
  [Symbol.asyncIterator] = async function* () {
  };
  static code = "ERR_JWKS_MULTIPLE_MATCHING_KEYS";
  code = "ERR_JWKS_MULTIPLE_MATCHING_KEYS";
  constructor(message = "multiple matching keys found in the JSON Web Key Set", options) {
    super(message, options);
  }
}
class JWKSTimeout extends JOSEError {
  static code = "ERR_JWKS_TIMEOUT";
  code = "ERR_JWKS_TIMEOUT";
  constructor(message = "request timed out", options) {
    super(message, options);
  }
}
class JWSSignatureVerificationFailed extends JOSEError {
  static code = "ERR_JWS_SIGNATURE_VERIFICATION_FAILED";
  code = "ERR_JWS_SIGNATURE_VERIFICATION_FAILED";
  constructor(message = "signature verification failed", options) {
    super(message, options);
  }
}


; 
function table(entries) {
  const out = { __proto__: null };
  for (const alg in entries)
    out[alg] = { ...entries[alg], alg };
  return out;
}


; 


const sig = [["verify"], ["sign"]];
function hmac(bits) {
  const subtle = { name: "HMAC", hash: `SHA-${bits}` };
  return { kty: ["oct"], secret: !0, subtle, signing: subtle, usages: sig };
}
function rsa(bits, saltLength) {
  const subtle = { name: saltLength ? "RSA-PSS" : "RSASSA-PKCS1-v1_5", hash: `SHA-${bits}` };
  return {
    kty: ["RSA"],
    subtle,
    signing: saltLength ? { ...subtle, saltLength } : subtle,
    usages: sig,
    minRsaBits: 2048
  };
}
function ecdsa(crv, bits) {
  return {
    kty: ["EC"],
    crv,
    subtle: { name: "ECDSA", namedCurve: crv },
    signing: { name: "ECDSA", hash: `SHA-${bits}` },
    usages: sig
  };
}
function eddsa() {
  const subtle = { name: "Ed25519" };
  return {
    kty: ["OKP"],
    crv: "Ed25519",
    subtle,
    signing: subtle,
    usages: sig
  };
}
function mldsa(parameterSet) {
  const subtle = { name: `ML-DSA-${parameterSet}` };
  return {
    kty: ["AKP"],
    subtle,
    signing: subtle,
    usages: sig
  };
}
const JWS = table({
  HS256: hmac(256),
  HS384: hmac(384),
  HS512: hmac(512),
  RS256: rsa(256),
  RS384: rsa(384),
  RS512: rsa(512),
  PS256: rsa(256, 32),
  PS384: rsa(384, 48),
  PS512: rsa(512, 64),
  ES256: ecdsa("P-256", 256),
  ES384: ecdsa("P-384", 384),
  ES512: ecdsa("P-521", 512),
  EdDSA: eddsa(),
  Ed25519: eddsa(),
  "ML-DSA-44": mldsa(44),
  "ML-DSA-65": mldsa(65),
  "ML-DSA-87": mldsa(87)
});
function jwsAlgorithm(alg) {
  const entry = typeof alg == "string" ? JWS[alg] : void 0;
  if (!entry)
    throw new JOSENotSupported(`alg ${alg} is not supported either by JOSE or your javascript runtime`);
  return entry;
}


; 



function assertUint8Array(input, label) {
  if (!(input instanceof Uint8Array))
    throw new TypeError(`${label} must be an instance of Uint8Array`);
}
function validate_isObject(input) {
  if (typeof input != "object" || input === null || Object.prototype.toString.call(input) !== "[object Object]")
    return !1;
  const prototype = Object.getPrototypeOf(input);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}
function isJwkSet(input) {
  return validate_isObject(input) && Array.isArray(input.keys) && Array.from(input.keys).every(validate_isObject);
}
function isDisjoint(...headers) {
  const parameters =   new Set();
  for (const header of headers)
    if (header)
      for (const parameter of Object.keys(header)) {
        if (parameters.has(parameter))
          return !1;
        parameters.add(parameter);
      }
  return !0;
}
function assertNotSet(value, name) {
  if (value !== void 0)
    throw new TypeError(`${name} can only be called once`);
}
function decodeBase64url(value, label, ErrorClass) {
  try {
    return decode(value);
  } catch (cause) {
    throw new ErrorClass(`Failed to base64url decode the ${label}`, { cause });
  }
}
function encodeAsciiMember(value, label, ErrorClass) {
  try {
    return encode(value);
  } catch (cause) {
    throw new ErrorClass(`The ${label} is not a valid base64url string`, { cause });
  }
}
function parseJoseHeader(encodedProtectedHeader, ErrorClass, message) {
  let parsed;
  try {
    parsed = JSON.parse(strictDecoder.decode(decode(encodedProtectedHeader)));
  } catch (cause) {
    throw new ErrorClass(message, { cause });
  }
  if (!validate_isObject(parsed))
    throw new ErrorClass(message);
  return parsed;
}
const JWS_RECOGNIZED = { __proto__: null, b64: !0 }, JWE_RECOGNIZED = { __proto__: null };
function validateAlgorithms(option, algorithms) {
  if (algorithms !== void 0 && (!Array.isArray(algorithms) || algorithms.some((s) => typeof s != "string")))
    throw new TypeError(`"${option}" option must be an array of strings`);
  return algorithms === void 0 ? void 0 : new Set(algorithms);
}
function validateCritDuplicates(Err, protectedHeader) {
  const { crit } = protectedHeader ?? {};
  if (Array.isArray(crit) && new Set(crit).size !== crit.length)
    throw new Err('"crit" (Critical) Header Parameter MUST NOT contain duplicate values');
}
function validateCrit(Err, recognizedDefault, recognizedOption, protectedHeader, joseHeader) {
  if (joseHeader.crit !== void 0 && protectedHeader?.crit === void 0)
    throw new Err('"crit" (Critical) Header Parameter MUST be integrity protected');
  if (!protectedHeader || protectedHeader.crit === void 0)
    return [];
  if (!Array.isArray(protectedHeader.crit) || protectedHeader.crit.length === 0 || protectedHeader.crit.some((input) => typeof input != "string" || input.length === 0))
    throw new Err('"crit" (Critical) Header Parameter MUST be an array of non-empty strings when present');
  const recognized = recognizedOption === void 0 ? recognizedDefault : { __proto__: null, ...recognizedOption, ...recognizedDefault };
  for (const parameter of protectedHeader.crit) {
    if (!(parameter in recognized))
      throw new JOSENotSupported(`Extension Header Parameter "${parameter}" is not recognized`);
    if (!Object.hasOwn(joseHeader, parameter) || joseHeader[parameter] === void 0)
      throw new Err(`Extension Header Parameter "${parameter}" is missing`);
    if (recognized[parameter] && (!Object.hasOwn(protectedHeader, parameter) || protectedHeader[parameter] === void 0))
      throw new Err(`Extension Header Parameter "${parameter}" MUST be integrity protected`);
  }
  return protectedHeader.crit;
}
function validateB64(protectedHeader, extensions) {
  if (extensions.includes("b64")) {
    const b64 = protectedHeader.b64;
    if (typeof b64 != "boolean")
      throw new JWSInvalid('The "b64" (base64url-encode payload) Header Parameter must be a boolean');
    return b64;
  }
  return !0;
}
function serializeJoseHeader(Err, header) {
  let serialized, parsed;
  try {
    serialized = JSON.stringify(header), parsed = JSON.parse(serialized);
  } catch (cause) {
    throw new Err("JOSE Header is not valid JSON", { cause });
  }
  if (!validate_isObject(parsed))
    throw new Err("JOSE Header is not a JSON object");
  return [parsed, serialized];
}


; 



const tag = (key) => key[Symbol.toStringTag], jwkMatchesOp = (entry, key, usage) => {
  const { alg } = entry;
  if (key.use !== void 0) {
    const expected = usage === "sign" || usage === "verify" ? "sig" : "enc";
    if (key.use !== expected)
      throw new TypeError(`Invalid key for this operation, its "use" must be "${expected}" when present`);
  }
  if (key.kty === "AKP" && key.alg === void 0)
    throw new TypeError('missing "alg" (Algorithm) Parameter value');
  if (key.alg !== void 0 && key.alg !== alg)
    throw new TypeError(`Invalid key for this operation, its "alg" must be "${alg}" when present`);
  if (Array.isArray(key.key_ops)) {
    const expectedKeyOp = usage === "encrypt" || usage === "decrypt" ? entry.ops?.[usage === "encrypt" ? 0 : 1] : usage;
    if (expectedKeyOp && !key.key_ops.includes(expectedKeyOp))
      throw new TypeError(`Invalid key for this operation, its "key_ops" must include "${expectedKeyOp}" when present`);
  }
};
async function prepareKey(entry, key, usage) {
  const { alg, secret } = entry, requiresPrivateKey = usage === "decrypt" || usage === "sign";
  if (secret && key instanceof Uint8Array)
    return key;
  let normalized, keyObject;
  if (validate_isObject(key)) {
    if (normalized = normalizeJwk(key), typeof normalized.kty != "string")
      throw invalidKeyType(alg, key, secret);
    if (!(secret ? normalized.kty === "oct" && typeof normalized.k == "string" : normalized.kty !== "oct" && (requiresPrivateKey ? normalized.kty === "AKP" && typeof normalized.priv == "string" || typeof normalized.d == "string" : normalized.d === void 0 && normalized.priv === void 0)))
      throw new TypeError(secret ? 'JSON Web Key for symmetric algorithms must have JWK "kty" (Key Type) equal to "oct" and the JWK "k" (Key Value) present' : `JSON Web Key for this operation must be a ${requiresPrivateKey ? "private" : "public"} JWK`);
    if (jwkMatchesOp(entry, normalized, usage), normalized.kty === "oct")
      return base64url_decode(normalized.k);
    if (!Object.isFrozen(key)) {
      const { key_ops } = key;
      Array.isArray(key_ops) && Object.freeze(key_ops), Object.freeze(key);
    }
  } else {
    if (!isKeyLike(key))
      throw invalidKeyType(alg, key, secret);
    const expectedType = secret ? "secret" : requiresPrivateKey ? "private" : "public";
    if (key.type !== expectedType && (secret || ["secret", "public", "private"].includes(key.type)))
      throw new TypeError(`${tag(key)} instances must be of type "${expectedType}" for the ${alg} algorithm`);
    if (isCryptoKey(key))
      return key;
    if (keyObject = key, keyObject.type === "secret")
      return keyObject.export();
  }
  cache ||=   new WeakMap();
  const cacheKey = key;
  let cached = cache.get(cacheKey);
  if (cached?.[alg])
    return cached[alg];
  if (cached || cache.set(cacheKey, cached = {}), keyObject && typeof keyObject.toCryptoKey == "function") {
    const isPublic = keyObject.type === "public", crv = nist[keyObject.asymmetricKeyDetails?.namedCurve], params = entry.resolve?.({ crv, asymmetricKeyType: keyObject.asymmetricKeyType }) ?? entry.subtle;
    return cached[alg] = keyObject.toCryptoKey(params, isPublic, entry.usages[isPublic ? 0 : 1]);
  }
  return normalized ??= keyObject.export({ format: "jwk" }), normalized.alg = alg, cached[alg] = await jwkToKey(entry, normalized);
}
let cache;
const nist = {
  __proto__: null,
  prime256v1: "P-256",
  secp384r1: "P-384",
  secp521r1: "P-521"
};
function assertCryptoKey(key) {
  if (!isCryptoKey(key))
    throw new Error("CryptoKey instance expected");
}
const isCryptoKey = (key) => {
  if (key?.[Symbol.toStringTag] === "CryptoKey")
    return !0;
  try {
    return key instanceof CryptoKey;
  } catch {
    return !1;
  }
}, isKeyObject = (key) => key?.[Symbol.toStringTag] === "KeyObject", isKeyLike = (key) => isCryptoKey(key) || isKeyObject(key);
function message(msg, actual, ...types) {
  if (types.length > 2) {
    const last = types.pop();
    msg += `one of type ${types.join(", ")}, or ${last}.`;
  } else types.length === 2 ? msg += `one of type ${types[0]} or ${types[1]}.` : msg += `of type ${types[0]}.`;
  return actual == null ? msg += ` Received ${actual}` : typeof actual == "function" && actual.name ? msg += ` Received function ${actual.name}` : typeof actual == "object" && actual != null && actual.constructor?.name && (msg += ` Received an instance of ${actual.constructor.name}`), msg;
}
const invalidKeyInput = (actual, ...types) => message("Key must be ", actual, ...types);
function invalidKeyType(alg, actual, secret) {
  const types = ["CryptoKey", "KeyObject", "JSON Web Key"];
  return secret && types.push("Uint8Array"), new TypeError(message(`Key for the ${alg} algorithm must be `, actual, ...types));
}
const unusable = (name, prop = "algorithm.name") => new TypeError(`CryptoKey does not support this operation, its ${prop} must be ${name}`);
function checkUsage(key, usage) {
  if (usage && !key.usages.includes(usage))
    throw new TypeError(`CryptoKey does not support this operation, its usages must include ${usage}.`);
}
function checkModulusLength(alg, key) {
  const { modulusLength } = key.algorithm;
  if (typeof modulusLength != "number" || modulusLength < 2048)
    throw new TypeError(`${alg} requires key modulusLength to be 2048 bits or larger`);
}
function checkCryptoKey(key, expected, usage) {
  const algorithm = key.algorithm;
  if (algorithm.name !== expected.name)
    throw unusable(expected.name);
  if (expected.hash && algorithm.hash?.name !== expected.hash)
    throw unusable(expected.hash, "algorithm.hash");
  if (expected.namedCurve && algorithm.namedCurve !== expected.namedCurve)
    throw unusable(expected.namedCurve, "algorithm.namedCurve");
  if (expected.length !== void 0 && algorithm.length !== expected.length)
    throw unusable(expected.length, "algorithm.length");
  checkUsage(key, usage);
}
function snapshotJwk(jwk) {
  return { __proto__: null, ...jwk };
}
function normalizeJwk(jwk) {
  const normalized = snapshotJwk(jwk);
  if (normalized.ext !== void 0 && typeof normalized.ext != "boolean")
    throw new TypeError('"ext" (Extractable) Parameter must be a boolean');
  if (normalized.key_ops !== void 0) {
    const value = normalized.key_ops, keyOps = Array.isArray(value) ? [...value] : void 0;
    if (!keyOps || keyOps.some((operation) => typeof operation != "string") || new Set(keyOps).size !== keyOps.length)
      throw new TypeError('"key_ops" (Key Operations) Parameter must be an array of unique strings');
    normalized.key_ops = keyOps;
  }
  return normalized;
}
function validateExtractableOption(extractable) {
  if (extractable !== void 0 && typeof extractable != "boolean")
    throw new TypeError('"extractable" option must be a boolean');
  return extractable;
}
async function jwkToKey(entry, jwk, extractable) {
  if (!entry.kty.includes(jwk.kty))
    throw new JOSENotSupported('Invalid or unsupported JWK "alg" (Algorithm) Parameter value');
  const algorithm = entry.resolve?.({ kty: jwk.kty, crv: jwk.crv }) ?? entry.subtle, isPrivate = !!(jwk.d || jwk.priv), keyData = { ...jwk, ext: extractable ?? jwk.ext };
  return keyData.kty !== "AKP" && delete keyData.alg, delete keyData.use, crypto.subtle.importKey("jwk", keyData, algorithm, keyData.ext ?? !isPrivate, jwk.key_ops ?? entry.usages[isPrivate ? 1 : 0]);
}
async function rawKey(key, expected, usage, extractable = !1) {
  return key instanceof Uint8Array && (key = await crypto.subtle.importKey("raw", key, expected, extractable, [usage])), checkCryptoKey(key, expected, usage), key;
}


; 






async function createSignature(input, key, rejectUnencoded) {
  let [payload, protectedHeader, unprotectedHeader, crit] = input, encodedProtectedHeader = "";
  if (protectedHeader !== void 0) {
    const normalized = serializeJoseHeader(JWSInvalid, protectedHeader);
    protectedHeader = normalized[0], encodedProtectedHeader = base64url_encode(normalized[1]);
  }
  if (unprotectedHeader !== void 0 && (unprotectedHeader = serializeJoseHeader(JWSInvalid, unprotectedHeader)[0]), !protectedHeader && !unprotectedHeader)
    throw new JWSInvalid("either setProtectedHeader or setUnprotectedHeader must be called before #sign()");
  if (!isDisjoint(protectedHeader, unprotectedHeader))
    throw new JWSInvalid("JWS Protected and JWS Unprotected Header Parameter names must be disjoint");
  const joseHeader = { ...protectedHeader, ...unprotectedHeader };
  validateCritDuplicates(JWSInvalid, protectedHeader);
  const b64 = validateB64(protectedHeader, validateCrit(JWSInvalid, JWS_RECOGNIZED, crit, protectedHeader, joseHeader));
  b64 || rejectUnencoded?.();
  const { alg } = joseHeader;
  if (typeof alg != "string" || !alg)
    throw new JWSInvalid('JWS "alg" (Algorithm) Header Parameter missing or invalid');
  const entry = jwsAlgorithm(alg);
  let encodedPayload = "", signingPayload = payload, signingInput;
  if (b64) {
    const encodedPayloadCache = input[4];
    encodedPayloadCache ? (encodedPayload = encodedPayloadCache[0] ??= base64url_encode(payload), signingPayload = encodedPayloadCache[1] ??= buffer_utils_encode(encodedPayload)) : (encodedPayload = base64url_encode(payload), signingInput = encoder.encode(`${encodedProtectedHeader}.${encodedPayload}`));
  }
  signingInput ??= concat(buffer_utils_encode(encodedProtectedHeader), buffer_utils_encode("."), signingPayload);
  const signingKey = await rawKey(await prepareKey(entry, key, "sign"), entry.subtle, "sign");
  entry.minRsaBits && checkModulusLength(entry.alg, signingKey);
  const jws = {
    signature: base64url_encode(new Uint8Array(await crypto.subtle.sign(entry.signing, signingKey, signingInput))),
    payload: encodedPayload
  };
  return protectedHeader && (jws.protected = encodedProtectedHeader), unprotectedHeader && (jws.header = unprotectedHeader), [jws, b64];
}
async function createCompactSignature(payload, protectedHeader, crit, key, rejectUnencoded) {
  const [jws] = await createSignature([payload, protectedHeader, void 0, crit], key, rejectUnencoded);
  return `${jws.protected}.${jws.payload}.${jws.signature}`;
}


; 



const epoch = (date) => Math.floor(date.getTime() / 1e3), multipliers = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
  y: 31557600
}, REGEX = /^(\+|\-)? ?(\d+|\d+\.\d+) ?(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)(?: (ago|from now))?$/i, checkFailed = "check_failed";
function invalidDuration() {
  throw new TypeError("Invalid time period format");
}
function secs(str) {
  typeof str != "string" && invalidDuration();
  const matched = REGEX.exec(str);
  (!matched || matched[4] && matched[1]) && invalidDuration();
  const value = parseFloat(matched[2]), durationSeconds = Math.round(value * multipliers[matched[3][0].toLowerCase()]);
  return Number.isFinite(durationSeconds) || invalidDuration(), matched[1] === "-" || matched[4]?.toLowerCase() === "ago" ? -durationSeconds : durationSeconds;
}
function validateInput(label, input) {
  if (!Number.isFinite(input))
    throw new TypeError(`Invalid ${label} input`);
  return input;
}
function validateStringClaim(claim, value) {
  if (typeof value != "string")
    throw new TypeError(`"${claim}" claim must be a string`);
}
function validateAudienceClaim(value) {
  if (typeof value != "string" && (!Array.isArray(value) || Array.from(value).some((member) => typeof member != "string")))
    throw new TypeError('"aud" claim must be a string or an array of strings');
}
function numericDate(value, label) {
  return typeof value == "number" ? validateInput(label, value) : value instanceof Date ? validateInput(label, epoch(value)) : epoch(  new Date()) + secs(value);
}
const normalizeTyp = (value) => {
  const normalized = value.toLowerCase();
  return value.includes("/") ? normalized : `application/${normalized}`;
}, checkAudiencePresence = (audPayload, audOption) => typeof audPayload == "string" ? audOption.includes(audPayload) : Array.isArray(audPayload) ? audOption.some((aud) => audPayload.includes(aud)) : !1;
function validateNumericDate(claimsSet, claim, required = !1) {
  const value = claimsSet[claim];
  if (!(value === void 0 && !required)) {
    if (typeof value != "number")
      throw new JWTClaimValidationFailed(`"${claim}" claim must be a number`, claimsSet, claim, "invalid");
    return value;
  }
}
function unexpectedClaim(claimsSet, claim) {
  throw new JWTClaimValidationFailed(`unexpected "${claim}" claim value`, claimsSet, claim, checkFailed);
}
function validateClaimsSet(protectedHeader, claimsSetBytes, options = {}) {
  let claimsSet;
  try {
    claimsSet = JSON.parse(strictDecoder.decode(claimsSetBytes));
  } catch (cause) {
    throw new JWTInvalid("JWT Claims Set must be a top-level JSON object", { cause });
  }
  if (!isObject(claimsSet))
    throw new JWTInvalid("JWT Claims Set must be a top-level JSON object");
  const { typ } = options;
  if (typ !== void 0 && (typeof protectedHeader.typ != "string" || normalizeTyp(protectedHeader.typ) !== normalizeTyp(typ)))
    throw new JWTClaimValidationFailed('unexpected "typ" JWT header value', claimsSet, "typ", checkFailed);
  const { requiredClaims = [], issuer, subject, audience, maxTokenAge } = options, presenceCheck = [...requiredClaims];
  maxTokenAge !== void 0 && presenceCheck.push("iat"), audience !== void 0 && presenceCheck.push("aud"), subject !== void 0 && presenceCheck.push("sub"), issuer !== void 0 && presenceCheck.push("iss");
  for (const claim of new Set(presenceCheck.reverse()))
    if (!Object.hasOwn(claimsSet, claim))
      throw new JWTClaimValidationFailed(`missing required "${claim}" claim`, claimsSet, claim, "missing");
  issuer !== void 0 && !(Array.isArray(issuer) ? issuer : [issuer]).includes(claimsSet.iss) && unexpectedClaim(claimsSet, "iss"), subject !== void 0 && claimsSet.sub !== subject && unexpectedClaim(claimsSet, "sub"), audience !== void 0 && !checkAudiencePresence(claimsSet.aud, typeof audience == "string" ? [audience] : audience) && unexpectedClaim(claimsSet, "aud");
  const { clockTolerance } = options;
  let tolerance = 0;
  if (typeof clockTolerance == "string")
    tolerance = secs(clockTolerance);
  else if (clockTolerance !== void 0) {
    if (typeof clockTolerance != "number")
      throw new TypeError("Invalid clockTolerance option type");
    tolerance = clockTolerance;
  }
  if (validateInput("clockTolerance option", tolerance), tolerance < 0)
    throw new TypeError("Invalid clockTolerance option input");
  const { currentDate } = options, now = validateInput("currentDate option", epoch(currentDate === void 0 ?   new Date() : currentDate)), iat = validateNumericDate(claimsSet, "iat", maxTokenAge !== void 0), nbf = validateNumericDate(claimsSet, "nbf");
  if (nbf !== void 0 && nbf > now + tolerance)
    throw new JWTClaimValidationFailed('"nbf" claim timestamp check failed', claimsSet, "nbf", checkFailed);
  const exp = validateNumericDate(claimsSet, "exp");
  if (exp !== void 0 && exp <= now - tolerance)
    throw new JWTExpired('"exp" claim timestamp check failed', claimsSet, "exp", checkFailed);
  if (maxTokenAge !== void 0) {
    const age = now - iat, max = validateInput("maxTokenAge option", typeof maxTokenAge == "number" ? maxTokenAge : secs(maxTokenAge));
    if (max < 0)
      throw new TypeError("Invalid maxTokenAge option input");
    if (age - tolerance > max)
      throw new JWTExpired('"iat" claim timestamp check failed (too far in the past)', claimsSet, "iat", checkFailed);
    if (age < -tolerance)
      throw new JWTClaimValidationFailed('"iat" claim timestamp check failed (it should be in the past)', claimsSet, "iat", checkFailed);
  }
  return claimsSet;
}
let producerClaimsSets;
function producerClaimsSet(producer) {
  return producerClaimsSets.get(producer);
}
function jwtClaimsSetBytes(producer) {
  const claimsSet = producerClaimsSet(producer);
  for (const claim of ["iat", "nbf", "exp"]) {
    const value = claimsSet[claim];
    if (typeof value == "number" && !Number.isFinite(value))
      throw new TypeError(`"${claim}" claim must be a finite number`);
  }
  return encoder.encode(JSON.stringify(claimsSet));
}
function jwtClaim(producer, claim) {
  return producerClaimsSet(producer)[claim];
}
class JWTClaimsBuilder {
  constructor(claimsSet = {}) {
    if (!validate_isObject(claimsSet))
      throw new TypeError("JWT Claims Set MUST be an object");
    (producerClaimsSets ||=   new WeakMap()).set(this, structuredClone(claimsSet));
  }
  setIssuer(value) {
    return validateStringClaim("iss", value), producerClaimsSet(this).iss = value, this;
  }
  setSubject(value) {
    return validateStringClaim("sub", value), producerClaimsSet(this).sub = value, this;
  }
  setAudience(value) {
    return validateAudienceClaim(value), producerClaimsSet(this).aud = value, this;
  }
  setJti(value) {
    return validateStringClaim("jti", value), producerClaimsSet(this).jti = value, this;
  }
  setNotBefore(value) {
    return producerClaimsSet(this).nbf = numericDate(value, "setNotBefore"), this;
  }
  setExpirationTime(value) {
    return producerClaimsSet(this).exp = numericDate(value, "setExpirationTime"), this;
  }
  setIssuedAt(value) {
    const claimsSet = producerClaimsSet(this);
    return value === void 0 ? claimsSet.iat = epoch(  new Date()) : typeof value == "string" ? claimsSet.iat = validateInput("setIssuedAt", epoch(  new Date()) + secs(value)) : claimsSet.iat = numericDate(value, "setIssuedAt"), this;
  }
}


; 




const SignJWT_base = JWTClaimsBuilder;
class SignJWT extends SignJWT_base {
  #protectedHeader;
  setProtectedHeader(protectedHeader) {
    return assertNotSet(this.#protectedHeader, "setProtectedHeader"), this.#protectedHeader = protectedHeader, this;
  }
  async sign(key, options) {
    return createCompactSignature(jwtClaimsSetBytes(this), this.#protectedHeader, options?.crit, key, () => {
      throw new errors_JWTInvalid("JWTs MUST NOT use unencoded payload");
    });
  }
}


; 

const JWT_LIFETIME_SECONDS = 5 * 60;
function metascopeClaimName(imsOrigin, metascope) {
    return /^https?:\/\//i.test(metascope) ? metascope : `${imsOrigin}/s/${metascope}`;
}
function serviceAccountClaims(identity, nowSeconds, lifetimeSeconds = JWT_LIFETIME_SECONDS) {
    const claims = {
        exp: nowSeconds + lifetimeSeconds,
        iat: nowSeconds,
        iss: identity.orgId,
        sub: identity.technicalAccountId,
        aud: `${identity.imsOrigin}/c/${identity.clientId}`,
    };
    for (const metascope of identity.metascopes)
        claims[metascopeClaimName(identity.imsOrigin, metascope)] = true;
    return claims;
}
async function signServiceAccountJwt(identity, key, nowSeconds) {
    return new SignJWT(serviceAccountClaims(identity, nowSeconds)).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(key);
}

; 



const MIN_RSA_BITS = 2048;
const PRIVATE_KEY_LABELS = new Set(['RSA PRIVATE KEY', 'PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'EC PRIVATE KEY']);
const NOT_PRIVATE_LABELS = new Set(['CERTIFICATE', 'PUBLIC KEY', 'RSA PUBLIC KEY']);
const ACCEPTED_FORMS = 'It accepts a PEM private key (PKCS#8 "BEGIN PRIVATE KEY", PKCS#1 "BEGIN RSA PRIVATE KEY", or encrypted PKCS#8 "BEGIN ENCRYPTED PRIVATE KEY" with private-key-passphrase), with LF or CRLF line ends, on one line with literal \\n, or base64 of the whole PEM.';
function keyError(from, problem, advice = ACCEPTED_FORMS) {
    return new InputError(`${capitalized(from)} ${problem}. ${advice}`);
}
function unwrapPemText(text) {
    const decoded = Buffer.from(text, 'base64').toString('utf8');
    const pem = decoded.includes('-----BEGIN') ? decoded : text;
    return pem.replace(/\\r\\n|\\n|\\r/g, '\n').replace(/\r\n?/g, '\n');
}
const isHeaderLine = (line) => /^[A-Za-z-]+:/.test(line);
function normalizePrivateKeyPem(text, from) {
    const unwrapped = unwrapPemText(text);
    const blocks = [...unwrapped.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)];
    const block = blocks.find((match) => PRIVATE_KEY_LABELS.has(match[1] ?? ''));
    if (!block) {
        const first = blocks[0]?.[1] ?? /-----BEGIN ([A-Z0-9 ]+)-----/.exec(unwrapped)?.[1];
        if (first === undefined)
            throw keyError(from, 'is not a PEM private key');
        if (first === 'OPENSSH PRIVATE KEY')
            return failOpenSsh(from);
        if (PRIVATE_KEY_LABELS.has(first))
            throw keyError(from, `is cut short: its -----END ${first}----- line is missing`);
        if (NOT_PRIVATE_LABELS.has(first)) {
            throw keyError(from, `holds a ${first.toLowerCase()}, not a private key`, 'Pass the private key that goes with it.');
        }
        throw keyError(from, `holds a PEM block of a kind it cannot use (${first})`);
    }
    const [label, content] = [block[1] ?? '', block[2] ?? ''];
    const lines = content.split('\n').map((line) => line.trim());
    const headers = lines.filter(isHeaderLine);
    const body = lines
        .filter((line) => !isHeaderLine(line))
        .join('')
        .replace(/\s/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body))
        throw keyError(from, 'is not a readable PEM private key: its body is not base64');
    const wrapped = body.match(/.{1,64}/g) ?? [];
    const head = headers.length > 0 ? `${headers.join('\n')}\n\n` : '';
    return {
        pem: `-----BEGIN ${label}-----\n${head}${wrapped.join('\n')}\n-----END ${label}-----\n`,
        encrypted: label === 'ENCRYPTED PRIVATE KEY' || headers.some((line) => /Proc-Type:.*ENCRYPTED/i.test(line)),
    };
}
function failOpenSsh(from) {
    throw keyError(from, 'is an OpenSSH private key, which this action cannot read', 'Convert it to PEM: ssh-keygen -p -m PKCS8 -f <file>, or use the private.key the Developer Console made.');
}
function loadRsaPrivateKey(normalized, passphrase, from) {
    if (normalized.encrypted && passphrase === '') {
        throw keyError(from, 'is encrypted', 'Set private-key-passphrase to its passphrase.');
    }
    let key;
    try {
        key = (0,external_node_crypto_namespaceObject.createPrivateKey)({ key: normalized.pem, format: 'pem', ...(normalized.encrypted ? { passphrase } : {}) });
    }
    catch {
        if (normalized.encrypted) {
            throw keyError(from, 'could not be decrypted', 'Check private-key-passphrase: it does not open this key.');
        }
        throw keyError(from, 'could not be read: it may be cut short or damaged');
    }
    const type = key.asymmetricKeyType ?? 'unknown';
    if (type !== 'rsa') {
        throw keyError(from, `is an ${type.toUpperCase()} key`, `IMS signs service-account JWTs with RS256, which needs an RSA key of ${MIN_RSA_BITS} bits or more.`);
    }
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) {
        throw keyError(from, `is an RSA key of ${bits} bits`, `IMS needs RSA keys of ${MIN_RSA_BITS} bits or more for RS256.`);
    }
    return key;
}

; 









const serviceAccountHint = ({ error, description }, status) => {
    const text = description.toLowerCase();
    switch (error) {
        case 'invalid_client':
            if (text.includes('client_secret'))
                return 'Check client-secret: it is not the secret of this client id.';
            if (text.includes('client_id'))
                return 'Check client-id: IMS knows no integration with this client id.';
            if (status === 401)
                return 'Check that client-id and client-secret belong together and that the integration may exchange JWTs.';
            return 'Check client-id and client-secret, and that the JWT audience names the same client id.';
        case 'invalid_token':
        case 'invalid_signature':
            if (text.includes('signature') || error === 'invalid_signature') {
                return "The private key does not belong to this integration's certificate: use the private key made with the certificate uploaded for this integration.";
            }
            if (text.includes('expired'))
                return "The JWT had expired when IMS read it: check the runner's clock.";
            return 'IMS could not read the JWT: check private-key, org-id and technical-account-id.';
        case 'invalid_scope':
            return "Check metascopes: they must be a subset of the integration's metascopes (for AEM: ent_aem_cloud_api or ent_cloudmgr_sdk).";
        case 'bad_request':
            return 'A JWT claim is badly formed: check technical-account-id (…@techacct.adobe.com) and org-id (…@AdobeOrg).';
        default:
            return serverSideHint(status);
    }
};
const service_account_NEEDS = ['client-id', 'client-secret', 'technical-account-id', 'org-id', 'private-key', 'metascopes'];
const serviceAccount = {
    name: 'service-account (JWT)',
    needs: service_account_NEEDS,
    ownInputs: ['private-key', 'private-key-passphrase', 'metascopes', 'technical-account-id'],
    ownJsonFields: ['private-key', 'metascopes'],
    autoChoice(fields, signals) {
        if (fields['private-key'])
            return 'a private key is given';
        return signals.length > 0 ? `${listOf(signals)} ${signals.length === 1 ? 'belongs' : 'belong'} to it` : undefined;
    },
    credentialsFrom(fields, { inputs, certificate, reporter, now }) {
        const imsOrigin = imsOriginOfField(fields['ims-endpoint']);
        const clientId = clientIdOf(fields['client-id']);
        const clientSecret = clientSecretOf(fields['client-secret']);
        const privateKey = fields['private-key'];
        const normalized = normalizePrivateKeyPem(privateKey.value, privateKey.from);
        maskSecretText(reporter, normalized.pem);
        const key = loadRsaPrivateKey(normalized, inputs['private-key-passphrase'], privateKey.from);
        const certificateExpiresAt = certificate && checkCertificate(certificate, key, now, reporter);
        return {
            imsOrigin,
            clientId,
            clientSecret,
            technicalAccountId: technicalAccountIdOf(fields['technical-account-id']),
            orgId: orgIdOf(fields['org-id']),
            metascopes: metascopesOf(fields.metascopes),
            privateKey: key,
            certificateExpiresAt,
        };
    },
    getToken(credentials, reporter, settings) {
        return requestImsToken({
            url: `${credentials.imsOrigin}/ims/exchange/jwt`,
            form: async () => {
                const jwt = await signServiceAccountJwt(credentials, credentials.privateKey, Math.floor(settings.now() / 1000));
                reporter.maskSecret(jwt);
                return { client_id: credentials.clientId, client_secret: credentials.clientSecret, jwt_token: jwt };
            },
            secretFields: ['client_secret', 'jwt_token'],
            operation: 'the JWT exchange',
            expiresInUnit: 'milliseconds',
            hint: serviceAccountHint,
        }, reporter, settings);
    },
    hint: serviceAccountHint,
    requestedScopes: (credentials) => credentials.metascopes,
};

; 


const FLOWS = {
    jwt: serviceAccount,
    oauth: oauthServerToServer,
};
const FLOW_KEYS = Object.keys(FLOWS);
function getToken(flow, credentials, reporter, settings) {
    return FLOWS[flow].getToken(credentials, reporter, settings);
}
function requestedScopes(flow, credentials) {
    return FLOWS[flow].requestedScopes(credentials);
}

; 



const NO_FIELDS = {
    ...Object.fromEntries(FIELD_NAMES.map((name) => [INPUTS[name].credentialsField, undefined])),
    certificate: undefined,
    encoding: 'json',
};
function credentials_json_isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function fieldName(path) {
    return `credentials field ${path
        .map((key) => (/^\d+$/.test(key) ? `[${key}]` : `.${key}`))
        .join('')
        .slice(1)}`;
}
function valueAt(root, path) {
    let value = root;
    for (const key of path)
        value = Array.isArray(value) ? value[Number(key)] : credentials_json_isObject(value) ? value[key] : undefined;
    return value;
}
function stringAt(root, path) {
    const value = valueAt(root, path);
    if (value === undefined || value === null)
        return undefined;
    if (typeof value !== 'string')
        throw new InputError(`${capitalized(fieldName(path))} must be a string, not ${describeType(value)}.`);
    const trimmed = value.trim();
    return trimmed === '' ? undefined : { value: trimmed, from: fieldName(path) };
}
function listAt(root, path) {
    const value = valueAt(root, path);
    if (value === undefined || value === null)
        return undefined;
    let items;
    if (typeof value === 'string') {
        items = splitList(value);
    }
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
        items = value.flatMap((item) => splitList(item));
    }
    else {
        throw new InputError(`${capitalized(fieldName(path))} must be a comma-separated string or a list of strings, not ${describeType(value)}.`);
    }
    return items.length === 0 ? undefined : { value: items, from: fieldName(path) };
}
function secretsAt(root, path) {
    const value = valueAt(root, path);
    if (value === undefined || value === null)
        return undefined;
    const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
    if (!items || !items.every((item) => typeof item === 'string')) {
        throw new InputError(`${capitalized(fieldName(path))} must be a string or a list of strings, not ${describeType(value)}.`);
    }
    const secrets = items.map((item) => item.trim()).filter((item) => item !== '');
    return secrets.length === 0 ? undefined : { value: secrets, from: fieldName(path) };
}
function describeType(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'a list';
    if (credentials_json_isObject(value))
        return 'an object';
    return `a ${typeof value}`;
}
function readAemServiceCredentials(root) {
    const base = credentials_json_isObject(root['integration']) ? ['integration'] : [];
    const at = (...path) => [...base, ...path];
    const clientSecret = stringAt(root, at('technicalAccount', 'clientSecret'));
    const privateKey = stringAt(root, at('privateKey'));
    return {
        ...NO_FIELDS,
        shape: 'AEM service credentials',
        clientId: stringAt(root, at('technicalAccount', 'clientId')),
        clientSecret,
        technicalAccountId: stringAt(root, at('id')),
        orgId: stringAt(root, at('org')),
        privateKey,
        certificate: stringAt(root, at('publicKey')),
        metascopes: listAt(root, at('metascopes')),
        imsEndpoint: stringAt(root, at('imsEndpoint')),
        secretValues: [clientSecret?.value, privateKey?.value].filter((value) => value !== undefined),
    };
}
function isAemServiceCredentials(root) {
    const integration = credentials_json_isObject(root['integration']) ? root['integration'] : root;
    return credentials_json_isObject(integration['technicalAccount']);
}
function readOAuthCredential(root, base, shape, orgId) {
    const at = (...path) => [...base, ...path];
    const secrets = secretsAt(root, at('client_secrets')) ?? secretsAt(root, at('client_secret'));
    const first = secrets?.value[0];
    return {
        ...NO_FIELDS,
        shape,
        clientId: stringAt(root, at('client_id')),
        clientSecret: first === undefined || !secrets ? undefined : { value: first, from: secrets.from },
        technicalAccountId: stringAt(root, at('technical_account_id')),
        orgId: orgId ?? stringAt(root, at('ims_org_id')),
        scopes: listAt(root, at('scopes')),
        secretValues: secrets?.value ?? [],
    };
}
function isOAuthCredential(root) {
    return typeof root['client_id'] === 'string' && ('client_secrets' in root || 'client_secret' in root);
}
function describeProjectCredential(credential) {
    return `"${oneLine(credential.name, 60)}" (${oneLine(credential.type, 40)}${credential.clientId ? `, client id ${oneLine(credential.clientId, 80)}` : ''})`;
}
function readDeveloperConsoleProject(root, preferredClientId) {
    const path = ['project', 'workspace', 'details', 'credentials'];
    const list = valueAt(root, path);
    if (list !== undefined && !Array.isArray(list))
        throw new InputError(`${capitalized(fieldName(path))} must be a list, not ${describeType(list)}.`);
    const credentials = (list ?? []).map((item, index) => {
        const entry = credentials_json_isObject(item) ? item : {};
        const oauth = entry['oauth_server_to_server'];
        const jwt = entry['jwt'];
        const clientId = credentials_json_isObject(oauth) ? oauth['client_id'] : credentials_json_isObject(jwt) ? jwt['client_id'] : undefined;
        return {
            index,
            name: typeof entry['name'] === 'string' ? entry['name'] : `#${index + 1}`,
            type: typeof entry['integration_type'] === 'string' ? entry['integration_type'] : 'unknown type',
            clientId: typeof clientId === 'string' ? clientId : undefined,
        };
    });
    const oauth = credentials.filter((credential) => credentials_json_isObject(valueAt(root, [...path, String(credential.index), 'oauth_server_to_server'])));
    const chosen = oauth.length === 1 ? oauth[0] : oauth.find((credential) => preferredClientId !== '' && credential.clientId === preferredClientId);
    if (!chosen) {
        const found = credentials.length === 0 ? 'no credentials at all' : `only ${credentials.map(describeProjectCredential).join(', ')}`;
        throw new InputError(oauth.length === 0
            ? `Input credentials is a Developer Console project JSON without an OAuth Server-to-Server credential: it holds ${found}. Add an OAuth Server-to-Server credential to the project's workspace and download the JSON again.`
            : `Input credentials is a Developer Console project JSON with ${oauth.length} OAuth Server-to-Server credentials: ${oauth.map(describeProjectCredential).join(', ')}. Set client-id to the one to use.`);
    }
    return readOAuthCredential(root, [...path, String(chosen.index), 'oauth_server_to_server'], 'Developer Console project', stringAt(root, ['project', 'org', 'ims_org_id']));
}
function isDeveloperConsoleProject(root) {
    return credentials_json_isObject(root['project']) && credentials_json_isObject(valueAt(root, ['project', 'workspace']));
}
const SHAPES = [
    {
        description: 'the AEM Developer Console service credentials JSON ({"integration": {"technicalAccount": ...}})',
        matches: isAemServiceCredentials,
        read: readAemServiceCredentials,
    },
    {
        description: 'the Adobe Developer Console project JSON ({"project": {"workspace": ...}}) with an OAuth Server-to-Server credential',
        matches: isDeveloperConsoleProject,
        read: readDeveloperConsoleProject,
    },
    {
        description: 'an OAuth Server-to-Server credential on its own, or the aio CLI\'s ({"client_id", "client_secrets", "scopes", ...})',
        matches: isOAuthCredential,
        read: (root) => readOAuthCredential(root, [], 'OAuth Server-to-Server credential'),
    },
];
const ACCEPTED_SHAPES = SHAPES.map((shape) => shape.description);
const BASE64_TEXT = /^[A-Za-z0-9+/_-]+={0,2}$/;
const STORE_COMPACT = 'Store the JSON file as one secret, compact on one line (jq -c . file.json), or base64 of it (base64 -w0 file.json).';
function credentialsRootOf(text) {
    const json = parsedJson(text);
    if (json.parsed)
        return { root: json.value, base64: false };
    const trimmed = text.trim();
    if (/^[{["]/.test(trimmed))
        throw new InputError(`Input credentials is not valid JSON. ${STORE_COMPACT}`);
    if (trimmed.includes('-----BEGIN')) {
        throw new InputError('Input credentials is not valid JSON. It looks like a PEM key: pass a key on its own as private-key.');
    }
    const compact = trimmed.replace(/\s/g, '');
    if (BASE64_TEXT.test(compact)) {
        const decoded = parsedJson(Buffer.from(compact, 'base64')
            .toString('utf8')
            .replace(/^\uFEFF/, ''));
        if (decoded.parsed)
            return { root: decoded.value, base64: true };
        throw new InputError(`Input credentials looks like base64, but what it decodes to is not JSON. ${STORE_COMPACT}`);
    }
    throw new InputError(`Input credentials is neither JSON nor base64 of JSON. ${STORE_COMPACT}`);
}
function parsedJson(text) {
    try {
        return { parsed: true, value: JSON.parse(text) };
    }
    catch {
        return { parsed: false };
    }
}
function readCredentialsJson(text, preferredClientId = '') {
    const { root, base64 } = credentialsRootOf(text);
    const shape = credentials_json_isObject(root) ? SHAPES.find((candidate) => candidate.matches(root)) : undefined;
    if (!shape || !credentials_json_isObject(root)) {
        throw new InputError(`Input credentials is ${base64 ? 'base64 of ' : ''}JSON of a shape this action does not know (${describeType(root)}). It accepts ${ACCEPTED_SHAPES.join('; ')}.`);
    }
    const fields = shape.read(root, preferredClientId);
    return base64
        ? { ...fields, encoding: 'base64', shape: `base64 of ${fields.shape}`, secretValues: [text.trim(), ...fields.secretValues] }
        : fields;
}

; 







function settingsOf(inputs) {
    return {
        exportEnv: exportEnvNameOf(inputs['export-env']),
        maxAttempts: wholeNumberOf(inputs['max-attempts'], 'max-attempts', Number(defaultOf('max-attempts')), 1, 50),
        retryBudgetMs: wholeNumberOf(inputs['retry-budget'], 'retry-budget', Number(defaultOf('retry-budget')), 0, 3600) * 1000,
        requestTimeoutMs: wholeNumberOf(inputs['request-timeout'], 'request-timeout', Number(defaultOf('request-timeout')), 1, 300) * 1000,
        summary: booleanOf(inputs.summary, 'summary', defaultOf('summary') === 'true'),
        invalidateToken: booleanOf(inputs['invalidate-token'], 'invalidate-token', defaultOf('invalidate-token') === 'true'),
    };
}
const FORK_NOTE = 'If they come from secrets: secrets are empty in workflows triggered by pull requests from forks and by Dependabot.';
function maskSecretInputs(inputs, reporter) {
    for (const name of SECRET_INPUTS)
        if (inputs[name] !== '')
            maskSecretText(reporter, inputs[name]);
}
function multiLineCredentialsWarning(lines) {
    return `Input credentials is JSON on ${lines} lines. The runner masks a secret of several lines line by line, so each of its lines ("{", "}", "ok": true, ...) is a mask of its own and every { and } in this job's later logs prints as ***. Store it compact, on one line: jq -c . credentials.json | gh secret set SECRET_NAME (or base64 of it).`;
}
function credentialsJsonOf(inputs, reporter) {
    if (inputs.credentials === '')
        return undefined;
    const json = readCredentialsJson(inputs.credentials, inputs['client-id']);
    for (const secret of json.secretValues)
        maskSecretText(reporter, secret);
    reporter.info(`Read credentials as ${json.shape}.`);
    const lines = inputs.credentials.split(/\r\n|\r|\n/).length;
    if (json.encoding === 'json' && lines > 1)
        reporter.warning(multiLineCredentialsWarning(lines));
    return json;
}
function fromInput(inputs, name) {
    const from = `input ${name}`;
    if (!('list' in INPUTS[name]))
        return inputs[name] === '' ? undefined : { value: inputs[name], from };
    const items = splitList(inputs[name]);
    return items.length === 0 ? undefined : { value: items, from };
}
function fromJsonField(json, name) {
    return json?.[INPUTS[name].credentialsField];
}
function gatherFields(inputs, json) {
    return Object.fromEntries(FIELD_NAMES.map((name) => [name, fromInput(inputs, name) ?? fromJsonField(json, name)]));
}
const missingFor = (flow, fields) => FLOWS[flow].needs.filter((name) => fields[name] === undefined);
function authTypeOf(value) {
    const type = value.toLowerCase() || defaultOf('auth-type');
    if (type === 'auto')
        return 'auto';
    if (FLOW_KEYS.includes(type))
        return type;
    throw new InputError(`Input auth-type must be auto, ${listOf(FLOW_KEYS, 'or')}.`);
}
function signalsOf(flow, inputs, json) {
    const signals = FLOWS[flow].ownInputs.filter((name) => inputs[name] !== '');
    for (const name of FLOWS[flow].ownJsonFields) {
        const field = fromJsonField(json, name);
        if (field)
            signals.push(field.from);
    }
    return signals;
}
function chooseFlow(inputs, fields, json, reporter) {
    const authType = authTypeOf(inputs['auth-type']);
    if (authType !== 'auto') {
        for (const other of FLOW_KEYS.filter((flow) => flow !== authType)) {
            const ignored = signalsOf(other, inputs, json);
            if (ignored.length > 0) {
                reporter.warning(`auth-type is ${authType}, so ${listOf(ignored)} ${ignored.length === 1 ? 'is' : 'are'} ignored: ${ignored.length === 1 ? 'it belongs' : 'they belong'} to the ${FLOWS[other].name} flow.`);
            }
        }
        return { flow: authType, why: '' };
    }
    const signalled = FLOW_KEYS.map((flow) => ({ flow, signals: signalsOf(flow, inputs, json) })).filter(({ signals }) => signals.length > 0);
    if (signalled.length > 1) {
        const given = signalled.map(({ flow, signals }) => `${listOf(signals)} (${FLOWS[flow].name})`);
        throw new InputError(`auth-type auto cannot choose: inputs of ${signalled.length === 2 ? 'both flows' : 'several flows'} are given, ${listOf(given)}. Set auth-type to ${listOf(FLOW_KEYS, 'or')}, or remove the inputs of the flow you do not use.`);
    }
    for (const flow of FLOW_KEYS) {
        const because = FLOWS[flow].autoChoice(fields, signalled.find((entry) => entry.flow === flow)?.signals ?? []);
        if (because !== undefined)
            return { flow, why: ` (auth-type auto chose it because ${because})` };
    }
    const needs = (flow) => {
        const { name, needs: required } = FLOWS[flow];
        const missing = missingFor(flow, fields);
        return `the ${name} flow needs ${listOf(required)}${missing.length < required.length ? `, and lacks ${listOf(missing)}` : ''}`;
    };
    throw new InputError(`Missing inputs: no flow has what it needs. ${capitalized(FLOW_KEYS.map(needs).join('; '))}. Each can be an input or come from credentials. ${FORK_NOTE}`);
}
function missingFieldsAdvice(fields, json, inputs) {
    const complete = FLOW_KEYS.find((flow) => missingFor(flow, fields).length === 0);
    if (authTypeOf(inputs['auth-type']) === 'auto' || complete === undefined)
        return FORK_NOTE;
    const these = json ? `Input credentials, read as ${json.shape}, is for` : 'The inputs given are for';
    return `${these} the ${FLOWS[complete].name} flow: set auth-type to ${complete}, or to auto (the default).`;
}
function requireAll(flow, fields, why, advice) {
    const missing = missingFor(flow, fields);
    if (missing.length === 0)
        return fields;
    throw new InputError(`Missing ${missing.length === 1 ? 'input' : 'inputs'} for the ${FLOWS[flow].name} flow${why}: ${listOf(missing)}. Pass ${missing.length === 1 ? 'it' : 'each'} as an input or in the credentials JSON. ${advice()}`);
}
function planFor(flow, settings, credentials) {
    return { ...settings, flow, credentials };
}
function planFromInputs(inputs, reporter, now) {
    const settings = settingsOf(inputs);
    const json = credentialsJsonOf(inputs, reporter);
    const fields = gatherFields(inputs, json);
    const { flow, why } = chooseFlow(inputs, fields, json, reporter);
    const present = requireAll(flow, fields, why, () => missingFieldsAdvice(fields, json, inputs));
    const credentials = FLOWS[flow].credentialsFrom(present, { inputs, certificate: json?.certificate, reporter, now });
    return planFor(flow, settings, credentials);
}

; 








const STATE = { token: 'token', expiresAt: 'expires-at', network: 'network' };
function stateToSave(invalidateToken, accessToken, expiresAt, network) {
    return invalidateToken ? { [STATE.token]: accessToken, [STATE.expiresAt]: expiresAt, [STATE.network]: network } : undefined;
}
const INVALIDATE_PATH = '/ims/invalidate_token/v2';
const invalidationHint = (error, status) => {
    if (error.error === 'invalid_token')
        return 'IMS does not know this token for this client: it may have expired or been invalidated already.';
    if (error.error === 'invalid_client')
        return 'IMS did not accept the client id and secret, which the main step used successfully.';
    return serverSideHint(status);
};
const POST_STEP_RETRY_BUDGET_MS = 15_000;
async function invalidateSavedToken(state, getInput, 
env, reporter, settings) {
    const token = state[STATE.token] ?? '';
    if (token !== '')
        reporter.maskSecret(token);
    const expiresAt = state[STATE.expiresAt] || 'it expires';
    try {
        const inputs = readInputs(getInput);
        maskSecretInputs(inputs, reporter);
        if (!booleanOf(inputs['invalidate-token'], 'invalidate-token', defaultOf('invalidate-token') === 'true')) {
            reporter.debug('invalidate-token is false: the token is left valid until it expires.');
            return 'not-asked';
        }
        if (token === '') {
            reporter.debug('No token in the step state (the main step failed or was skipped): nothing to invalidate.');
            return 'not-asked';
        }
        prepareEnvironment(env, reporter);
        if (networkFingerprint(env) !== state[STATE.network]) {
            reporter.warning(`The access token was not invalidated at IMS; it stays valid until ${expiresAt}. The network settings (proxy variables, NO_PROXY or the CA certificates: NODE_EXTRA_CA_CERTS, SSL_CERT_FILE and the like) changed after the main step, probably through GITHUB_ENV in a later step, so nothing was sent through them.`);
            return 'network-changed';
        }
        const plan = planFromInputs(inputs, quietReporter(reporter), settings.now());
        const { clientId, clientSecret, imsOrigin } = plan.credentials;
        const read = (answer, attempt) => readInvalidationAnswer(answer, request, attempt);
        const request = {
            url: `${imsOrigin}${INVALIDATE_PATH}`,
            operation: 'the token invalidation',
            secretFields: ['token', 'client_secret'],
            hint: invalidationHint,
            form: () => Promise.resolve({ token_type: 'access_token', token, client_id: clientId, client_secret: clientSecret }),
            read,
        };
        const budget = { budgetMs: POST_STEP_RETRY_BUDGET_MS, budgetName: "the post step's retry budget" };
        await sendImsRequest(request, reporter, { ...settings, timeoutMs: plan.requestTimeoutMs, maxAttempts: plan.maxAttempts, ...budget });
        reporter.info('The access token was invalidated at IMS.');
        return 'invalidated';
    }
    catch (error) {
        const reason = error instanceof ActionError ? error.message : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
        reporter.warning(`The access token could not be invalidated at IMS; it stays valid until ${expiresAt}. ${reason}`);
        return 'failed';
    }
}

; 

const HTML_ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const MARKUP_CHARACTERS = /[&<>"'[\]!`*~|\\#]/g;
const ANY_SPACE = /[\s\u0000-\u001f\u007f-\u009f]+/g;
function htmlEscaped(text) {
    return text
        .replace(ANY_SPACE, ' ')
        .replace(MARKUP_CHARACTERS, (character) => HTML_ENTITIES[character] ?? `&#${character.codePointAt(0) ?? 0};`);
}
function jwtPayloadOf(token) {
    try {
        return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    }
    catch {
        return undefined;
    }
}
function grantedScopes(accessToken) {
    const scope = jwtPayloadOf(accessToken)?.scope;
    return typeof scope === 'string' && scope !== '' ? scope.split(',').join(', ') : undefined;
}
function endOfJobText(invalidateToken) {
    return invalidateToken
        ? 'To be invalidated at IMS by the post step when the job ends; its result is added at the end of the summary'
        : 'Stays valid until it expires (invalidate-token: false)';
}
function durationText(seconds) {
    if (seconds < 120)
        return `${seconds} s`;
    if (seconds < 2 * 3600)
        return `${Math.round(seconds / 60)} min`;
    return `${Math.round(seconds / 3600)} h`;
}
const stepPart = (stepId) => (stepId && !stepId.startsWith('__') ? `step ${stepId}, ` : '');
function summaryTitle(clientId, stepId) {
    return `Adobe IMS access token (${stepPart(stepId)}client ${clientId})`;
}
function summaryRows(plan, token, expiresAt) {
    const granted = grantedScopes(token.accessToken);
    return [
        ['Flow', FLOWS[plan.flow].name],
        ['Client id', plan.credentials.clientId],
        ['Organization', plan.credentials.orgId ?? 'not given'],
        [granted ? 'Scopes granted' : 'Scopes requested', granted ?? requestedScopes(plan.flow, plan.credentials).join(', ')],
        ['IMS', plan.credentials.imsOrigin],
        ['Expires at', `${expiresAt} (in ${durationText(token.expiresInSeconds)})`],
        ['Attempts', String(token.attempts)],
        ['After the job', endOfJobText(plan.invalidateToken)],
    ];
}
function postSummaryLine(result, expiresAt, stepId) {
    const title = `<strong>${htmlEscaped(`Adobe IMS access token (${stepPart(stepId)}expiring at ${expiresAt})`)}</strong>`;
    const what = 'invalidatedAt' in result
        ? `invalidated at IMS by the post step at ${htmlEscaped(result.invalidatedAt)}.`
        : `<strong>not invalidated</strong>. ${htmlEscaped(result.failure)}`;
    return `<p>${title}: ${what}</p>\n`;
}

; 













const reporter = runnerReporter(core_namespaceObject);
function setOutputs(token, expiresAt, plan) {
    const outputs = {
        'access-token': token.accessToken,
        'token-type': token.tokenType,
        'expires-in': String(token.expiresInSeconds),
        'expires-at': expiresAt,
        'client-id': plan.credentials.clientId,
        'org-id': plan.credentials.orgId ?? '',
        'certificate-expires-at': plan.credentials.certificateExpiresAt ? isoSeconds(plan.credentials.certificateExpiresAt) : '',
    };
    for (const name of OUTPUT_NAMES)
        setOutput(name, outputs[name]);
    if (plan.exportEnv !== undefined) {
        exportVariable(plan.exportEnv, token.accessToken);
        info(`The token is exported to later steps of this job as ${plan.exportEnv}.`);
    }
}
function writeSummary(token, expiresAt, plan) {
    const file = process.env['GITHUB_STEP_SUMMARY'];
    if (!plan.summary || !file)
        return;
    const rows = summaryRows(plan, token, expiresAt);
    const html = summary
        .addHeading(htmlEscaped(summaryTitle(plan.credentials.clientId, process.env['GITHUB_ACTION'])), 3)
        .addTable([
        [
            { data: 'Item', header: true },
            { data: 'Value', header: true },
        ],
        ...rows.map((row) => row.map(htmlEscaped)),
    ])
        .stringify();
    summary.emptyBuffer();
    (0,external_node_fs_namespaceObject.appendFileSync)(file, html);
}
async function run() {
    try {
        const inputs = readInputs((name) => getInput(name));
        maskSecretInputs(inputs, reporter);
        prepareEnvironment(process.env, reporter);
        const plan = planFromInputs(inputs, reporter, Date.now());
        const { clientId, imsOrigin } = plan.credentials;
        info(`Getting an IMS access token for client ${clientId} from ${imsOrigin} with the ${FLOWS[plan.flow].name} flow.`);
        const settings = {
            timeoutMs: plan.requestTimeoutMs,
            maxAttempts: plan.maxAttempts,
            budgetMs: plan.retryBudgetMs,
            now: Date.now,
            sleep: realSleep,
            random: Math.random,
        };
        const token = await getToken(plan.flow, plan.credentials, reporter, settings);
        const expiresAt = isoSeconds(token.expiresAt);
        const state = stateToSave(plan.invalidateToken, token.accessToken, expiresAt, networkFingerprint(process.env));
        for (const [name, value] of Object.entries(state ?? {}))
            saveState(name, value);
        setOutputs(token, expiresAt, plan);
        writeSummary(token, expiresAt, plan);
        info(`Got a ${token.tokenType} token; it expires at ${expiresAt}, in ${durationText(token.expiresInSeconds)}.`);
    }
    catch (error) {
        setFailed(error instanceof ActionError
            ? error.message
            : `Unexpected error while getting the IMS token: ${error instanceof Error ? error.message : String(error)}`);
    }
}

; 









async function runPost() {
    const runner = runnerReporter(core_namespaceObject);
    let lastWarning;
    const reporter = {
        ...runner,
        warning: (message) => {
            lastWarning = message;
            runner.warning(message);
        },
    };
    const state = Object.fromEntries(Object.values(STATE).map((name) => [name, getState(name)]));
    const outcome = await invalidateSavedToken(state, (name) => getInput(name), process.env, reporter, {
        now: Date.now,
        sleep: realSleep,
        random: Math.random,
    });
    writePostSummary(outcome, state[STATE.expiresAt] ?? '', lastWarning);
}
function writePostSummary(outcome, expiresAt, failure) {
    const file = process.env['GITHUB_STEP_SUMMARY'];
    if (outcome === 'not-asked' || !file)
        return;
    let summary;
    try {
        summary = booleanOf(getInput('summary'), 'summary', defaultOf('summary') === 'true');
    }
    catch {
        return;
    }
    if (!summary)
        return;
    const result = outcome === 'invalidated'
        ? { invalidatedAt: isoSeconds(new Date()) }
        : { failure: failure ?? `The access token could not be invalidated at IMS; it stays valid until ${expiresAt}.` };
    try {
        (0,external_node_fs_namespaceObject.appendFileSync)(file, postSummaryLine(result, expiresAt, process.env['GITHUB_ACTION']));
    }
    catch (error) {
        warning(`The post step could not add its line to the job summary: ${error instanceof Error ? error.message : String(error)}`);
    }
}

; 


function runStep(phase) {
    return phase === 'post' ? runPost() : run();
}


  }),

  613:
  ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

  }),

  434:
  ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

  }),

  611:
  ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

  }),

  692:
  ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

  }),

  278:
  ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

  }),

  756:
  ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

  }),

  23:
  ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

  })

  });
   
  var __webpack_module_cache__ = {};
   
  function __nccwpck_require__(moduleId) {
  	 
  	var cachedModule = __webpack_module_cache__[moduleId];
  	if (cachedModule !== undefined) {
  		return cachedModule.exports;
  	}
  	 
  	var module = __webpack_module_cache__[moduleId] = {
  		 
  		 
  		exports: {}
  	};
  	 
  	var threw = true;
  	try {
  		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
  		threw = false;
  	} finally {
  		if(threw) delete __webpack_module_cache__[moduleId];
  	}
  	 
  	return module.exports;
  }
   
  if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
   
  (() => {
  	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
  	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
  	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
  	var resolveQueue = (queue) => {
  		if(queue && queue.d < 1) {
  			queue.d = 1;
  			queue.forEach((fn) => (fn.r--));
  			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
  		}
  	}
  	var wrapDeps = (deps) => (deps.map((dep) => {
  		if(dep !== null && typeof dep === "object") {
  			if(dep[webpackQueues]) return dep;
  			if(dep.then) {
  				var queue = [];
  				queue.d = 0;
  				dep.then((r) => {
  					obj[webpackExports] = r;
  					resolveQueue(queue);
  				}, (e) => {
  					obj[webpackError] = e;
  					resolveQueue(queue);
  				});
  				var obj = {};
  				obj[webpackQueues] = (fn) => (fn(queue));
  				return obj;
  			}
  		}
  		var ret = {};
  		ret[webpackQueues] = x => {};
  		ret[webpackExports] = dep;
  		return ret;
  	}));
  	__nccwpck_require__.a = (module, body, hasAwait) => {
  		var queue;
  		hasAwait && ((queue = []).d = -1);
  		var depQueues = new Set();
  		var exports = module.exports;
  		var currentDeps;
  		var outerResolve;
  		var reject;
  		var promise = new Promise((resolve, rej) => {
  			reject = rej;
  			outerResolve = resolve;
  		});
  		promise[webpackExports] = exports;
  		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
  		module.exports = promise;
  		body((deps) => {
  			currentDeps = wrapDeps(deps);
  			var fn;
  			var getResult = () => (currentDeps.map((d) => {
  				if(d[webpackError]) throw d[webpackError];
  				return d[webpackExports];
  			}))
  			var promise = new Promise((resolve) => {
  				fn = () => (resolve(getResult));
  				fn.r = 0;
  				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
  				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
  			});
  			return fn.r ? promise : getResult();
  		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
  		queue && queue.d < 0 && (queue.d = 0);
  	};
  })();
   
  (() => {
  	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
  	var leafPrototypes;
  	 
  	 
  	 
  	 
  	 
  	 
  	__nccwpck_require__.t = function(value, mode) {
  		if(mode & 1) value = this(value);
  		if(mode & 8) return value;
  		if(typeof value === 'object' && value) {
  			if((mode & 4) && value.__esModule) return value;
  			if((mode & 16) && typeof value.then === 'function') return value;
  		}
  		var ns = Object.create(null);
  		__nccwpck_require__.r(ns);
  		var def = {};
  		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
  		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
  			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
  		}
  		def['default'] = () => (value);
  		__nccwpck_require__.d(ns, def);
  		return ns;
  	};
  })();
   
  (() => {
  	 
  	__nccwpck_require__.d = (exports, definition) => {
  		for(var key in definition) {
  			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
  				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
  			}
  		}
  	};
  })();
   
  (() => {
  	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
  })();
   
  (() => {
  	 
  	__nccwpck_require__.r = (exports) => {
  		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
  			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
  		}
  		Object.defineProperty(exports, '__esModule', { value: true });
  	};
  })();
   
   
   
  var __webpack_exports__ = __nccwpck_require__(407);
  __webpack_exports__ = await __webpack_exports__;
