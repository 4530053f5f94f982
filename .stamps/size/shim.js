var __defProp = Object.defineProperty;
var __name = (target, value) => __defProp(target, "name", { value, configurable: true });

// build-release/index.js
import { WorkerEntrypoint as Re } from "cloudflare:workers";
import { EmailMessage as ce } from "cloudflare:email";
import Y from "./839af2a521ac9a5c4be6837672f60e278e7c4d43-index_bg.wasm";
function G(r2, e, t, n) {
  let _ = new Headers();
  for (let s of e.split(`
`)) {
    let a = s.indexOf(":");
    _.set(s.slice(0, a), s.slice(a + 1));
  }
  return new Response(n ? t.slice() : null, { status: r2, headers: _ });
}
__name(G, "G");
var K = globalThis.__worker_init_state = { criticalError: false, instanceId: 0 };
var I = class {
  static {
    __name(this, "I");
  }
  __destroy_into_raw() {
    let e = this.__wbg_ptr;
    return this.__wbg_ptr = 0, le.unregister(this), e;
  }
  free() {
    let e = this.__destroy_into_raw();
    c();
    try {
      i.__wbg_containerstartupoptions_free(e, 0);
    } catch (t) {
      o(t);
    }
  }
  get enableInternet() {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    let e;
    c();
    try {
      e = i.__wbg_get_containerstartupoptions_enableInternet(this.__wbg_ptr);
    } catch (t) {
      o(t);
    }
    return e === 16777215 ? void 0 : e !== 0;
  }
  get entrypoint() {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    let e;
    c();
    try {
      e = i.__wbg_get_containerstartupoptions_entrypoint(this.__wbg_ptr);
    } catch (n) {
      o(n);
    }
    var t = ve(e[0], e[1]);
    return i.__wbindgen_free(e[0], e[1] * 4, 4), t;
  }
  get env() {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    let e;
    c();
    try {
      e = i.__wbg_get_containerstartupoptions_env(this.__wbg_ptr);
    } catch (t) {
      o(t);
    }
    return e;
  }
  set enableInternet(e) {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    c();
    try {
      i.__wbg_set_containerstartupoptions_enableInternet(this.__wbg_ptr, u(e) ? 16777215 : e ? 1 : 0);
    } catch (t) {
      o(t);
    }
  }
  set entrypoint(e) {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    let t = Ie(e, i.__wbindgen_malloc), n = h;
    c();
    try {
      i.__wbg_set_containerstartupoptions_entrypoint(this.__wbg_ptr, t, n);
    } catch (_) {
      o(_);
    }
  }
  set env(e) {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    c();
    try {
      i.__wbg_set_containerstartupoptions_env(this.__wbg_ptr, e);
    } catch (t) {
      o(t);
    }
  }
};
Symbol.dispose && (I.prototype[Symbol.dispose] = I.prototype.free);
var A = class {
  static {
    __name(this, "A");
  }
  __destroy_into_raw() {
    let e = this.__wbg_ptr;
    return this.__wbg_ptr = 0, he.unregister(this), e;
  }
  free() {
    let e = this.__destroy_into_raw();
    c();
    try {
      i.__wbg_intounderlyingbytesource_free(e, 0);
    } catch (t) {
      o(t);
    }
  }
  get autoAllocateChunkSize() {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    let e;
    c();
    try {
      e = i.intounderlyingbytesource_autoAllocateChunkSize(this.__wbg_ptr);
    } catch (t) {
      o(t);
    }
    return e >>> 0;
  }
  cancel() {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    let e = this.__destroy_into_raw();
    c();
    try {
      i.intounderlyingbytesource_cancel(e);
    } catch (t) {
      o(t);
    }
  }
  pull(e) {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    let t;
    c();
    try {
      t = i.intounderlyingbytesource_pull(this.__wbg_ptr, e);
    } catch (n) {
      o(n);
    }
    return t;
  }
  start(e) {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    c();
    try {
      i.intounderlyingbytesource_start(this.__wbg_ptr, e);
    } catch (t) {
      o(t);
    }
  }
  get type() {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    let e;
    c();
    try {
      e = i.intounderlyingbytesource_type(this.__wbg_ptr);
    } catch (t) {
      o(t);
    }
    return ge[e];
  }
};
Symbol.dispose && (A.prototype[Symbol.dispose] = A.prototype.free);
var O = class {
  static {
    __name(this, "O");
  }
  __destroy_into_raw() {
    let e = this.__wbg_ptr;
    return this.__wbg_ptr = 0, ye.unregister(this), e;
  }
  free() {
    let e = this.__destroy_into_raw();
    c();
    try {
      i.__wbg_intounderlyingsink_free(e, 0);
    } catch (t) {
      o(t);
    }
  }
  abort(e) {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    let t = this.__destroy_into_raw(), n;
    c();
    try {
      n = i.intounderlyingsink_abort(t, e);
    } catch (_) {
      o(_);
    }
    return n;
  }
  close() {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    let e = this.__destroy_into_raw(), t;
    c();
    try {
      t = i.intounderlyingsink_close(e);
    } catch (n) {
      o(n);
    }
    return t;
  }
  write(e) {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    let t;
    c();
    try {
      t = i.intounderlyingsink_write(this.__wbg_ptr, e);
    } catch (n) {
      o(n);
    }
    return t;
  }
};
Symbol.dispose && (O.prototype[Symbol.dispose] = O.prototype.free);
var T = class {
  static {
    __name(this, "T");
  }
  __destroy_into_raw() {
    let e = this.__wbg_ptr;
    return this.__wbg_ptr = 0, pe.unregister(this), e;
  }
  free() {
    let e = this.__destroy_into_raw();
    c();
    try {
      i.__wbg_intounderlyingsource_free(e, 0);
    } catch (t) {
      o(t);
    }
  }
  cancel() {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    let e = this.__destroy_into_raw();
    c();
    try {
      i.intounderlyingsource_cancel(e);
    } catch (t) {
      o(t);
    }
  }
  pull(e) {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    let t;
    c();
    try {
      t = i.intounderlyingsource_pull(this.__wbg_ptr, e);
    } catch (n) {
      o(n);
    }
    return t;
  }
};
Symbol.dispose && (T.prototype[Symbol.dispose] = T.prototype.free);
var m = class r {
  static {
    __name(this, "r");
  }
  static __wrap(e) {
    let t = Object.create(r.prototype);
    return t.__wbg_ptr = e, Object.defineProperty(t, "__wbg_inst", { value: f, writable: true }), Q.register(t, { ptr: e, instance: f }, t), t;
  }
  __destroy_into_raw() {
    let e = this.__wbg_ptr;
    return this.__wbg_ptr = 0, Q.unregister(this), e;
  }
  free() {
    let e = this.__destroy_into_raw();
    c();
    try {
      i.__wbg_minifyconfig_free(e, 0);
    } catch (t) {
      o(t);
    }
  }
  get css() {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    let e;
    c();
    try {
      e = i.__wbg_get_minifyconfig_css(this.__wbg_ptr);
    } catch (t) {
      o(t);
    }
    return e !== 0;
  }
  get html() {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    let e;
    c();
    try {
      e = i.__wbg_get_minifyconfig_html(this.__wbg_ptr);
    } catch (t) {
      o(t);
    }
    return e !== 0;
  }
  get js() {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    let e;
    c();
    try {
      e = i.__wbg_get_minifyconfig_js(this.__wbg_ptr);
    } catch (t) {
      o(t);
    }
    return e !== 0;
  }
  set css(e) {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    c();
    try {
      i.__wbg_set_minifyconfig_css(this.__wbg_ptr, e);
    } catch (t) {
      o(t);
    }
  }
  set html(e) {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    c();
    try {
      i.__wbg_set_minifyconfig_html(this.__wbg_ptr, e);
    } catch (t) {
      o(t);
    }
  }
  set js(e) {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    c();
    try {
      i.__wbg_set_minifyconfig_js(this.__wbg_ptr, e);
    } catch (t) {
      o(t);
    }
  }
};
Symbol.dispose && (m.prototype[Symbol.dispose] = m.prototype.free);
var x = class {
  static {
    __name(this, "x");
  }
  __destroy_into_raw() {
    let e = this.__wbg_ptr;
    return this.__wbg_ptr = 0, me.unregister(this), e;
  }
  free() {
    let e = this.__destroy_into_raw();
    c();
    try {
      i.__wbg_r2range_free(e, 0);
    } catch (t) {
      o(t);
    }
  }
  get length() {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    let e;
    c();
    try {
      e = i.__wbg_get_r2range_length(this.__wbg_ptr);
    } catch (t) {
      o(t);
    }
    return e[0] === 0 ? void 0 : e[1];
  }
  get offset() {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    let e;
    c();
    try {
      e = i.__wbg_get_r2range_offset(this.__wbg_ptr);
    } catch (t) {
      o(t);
    }
    return e[0] === 0 ? void 0 : e[1];
  }
  get suffix() {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    let e;
    c();
    try {
      e = i.__wbg_get_r2range_suffix(this.__wbg_ptr);
    } catch (t) {
      o(t);
    }
    return e[0] === 0 ? void 0 : e[1];
  }
  set length(e) {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    c();
    try {
      i.__wbg_set_r2range_length(this.__wbg_ptr, !u(e), u(e) ? 0 : e);
    } catch (t) {
      o(t);
    }
  }
  set offset(e) {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    c();
    try {
      i.__wbg_set_r2range_offset(this.__wbg_ptr, !u(e), u(e) ? 0 : e);
    } catch (t) {
      o(t);
    }
  }
  set suffix(e) {
    if (this.__wbg_inst !== void 0 && this.__wbg_inst !== f) throw new Error("Invalid stale object from previous Wasm instance");
    c();
    try {
      i.__wbg_set_r2range_suffix(this.__wbg_ptr, !u(e), u(e) ? 0 : e);
    } catch (t) {
      o(t);
    }
  }
};
Symbol.dispose && (x.prototype[Symbol.dispose] = x.prototype.free);
function z() {
  f++, p = null, F = null, j = null, typeof numBytesDecoded < "u" && (numBytesDecoded = 0), typeof h < "u" && (h = 0), V = false, M = false, N = new WebAssembly.Instance(Y, re()), i = N.exports, i.__wbindgen_start();
}
__name(z, "z");
function Z() {
  let r2;
  c();
  try {
    r2 = i.__worker_init_state();
  } catch (e) {
    o(e);
  }
  return r2;
}
__name(Z, "Z");
function ee(r2, e, t) {
  let n;
  c();
  try {
    n = i.fetch(r2, e, t);
  } catch (_) {
    o(_);
  }
  return n;
}
__name(ee, "ee");
function te(r2, e, t) {
  let n;
  c();
  try {
    n = i.queue(r2, e, t);
  } catch (_) {
    o(_);
  }
  return n;
}
__name(te, "te");
function ne() {
  c();
  try {
    i.start();
  } catch (r2) {
    o(r2);
  }
}
__name(ne, "ne");
function re() {
  return { __proto__: null, "./index_bg.js": { __proto__: null, __wbg_Error_30c8987f7c2ed4e2: /* @__PURE__ */ __name(function(e, t) {
    return Error(w(e, t));
  }, "__wbg_Error_30c8987f7c2ed4e2"), __wbg_Number_14af1003b8dd5ead: /* @__PURE__ */ __name(function(e) {
    return Number(e);
  }, "__wbg_Number_14af1003b8dd5ead"), __wbg___wbindgen_bigint_get_as_i64_a2383202b9353e4c: /* @__PURE__ */ __name(function(e, t) {
    let n = t, _ = typeof n == "bigint" ? n : void 0;
    g().setBigInt64(e + 8, u(_) ? BigInt(0) : _, true), g().setInt32(e + 0, !u(_), true);
  }, "__wbg___wbindgen_bigint_get_as_i64_a2383202b9353e4c"), __wbg___wbindgen_boolean_get_5b446f51afd21013: /* @__PURE__ */ __name(function(e) {
    let t = e, n = typeof t == "boolean" ? t : void 0;
    return u(n) ? 16777215 : n ? 1 : 0;
  }, "__wbg___wbindgen_boolean_get_5b446f51afd21013"), __wbg___wbindgen_debug_string_4687d8d8c2017d52: /* @__PURE__ */ __name(function(e, t) {
    let n = D(t), _ = v(n, i.__wbindgen_malloc, i.__wbindgen_realloc), s = h;
    g().setInt32(e + 4, s, true), g().setInt32(e + 0, _, true);
  }, "__wbg___wbindgen_debug_string_4687d8d8c2017d52"), __wbg___wbindgen_in_92f62ee1427d9e49: /* @__PURE__ */ __name(function(e, t) {
    return e in t;
  }, "__wbg___wbindgen_in_92f62ee1427d9e49"), __wbg___wbindgen_is_bigint_b123553bed3bb382: /* @__PURE__ */ __name(function(e) {
    return typeof e == "bigint";
  }, "__wbg___wbindgen_is_bigint_b123553bed3bb382"), __wbg___wbindgen_is_function_1f9d30630b8b1d3d: /* @__PURE__ */ __name(function(e) {
    return typeof e == "function";
  }, "__wbg___wbindgen_is_function_1f9d30630b8b1d3d"), __wbg___wbindgen_is_null_or_undefined_f9435d56bdcc06df: /* @__PURE__ */ __name(function(e) {
    return e == null;
  }, "__wbg___wbindgen_is_null_or_undefined_f9435d56bdcc06df"), __wbg___wbindgen_is_object_3c45d4f2dde4e749: /* @__PURE__ */ __name(function(e) {
    let t = e;
    return typeof t == "object" && t !== null;
  }, "__wbg___wbindgen_is_object_3c45d4f2dde4e749"), __wbg___wbindgen_is_string_90b56bc79aad6f6c: /* @__PURE__ */ __name(function(e) {
    return typeof e == "string";
  }, "__wbg___wbindgen_is_string_90b56bc79aad6f6c"), __wbg___wbindgen_is_undefined_8865fb403f8fe9d8: /* @__PURE__ */ __name(function(e) {
    return e === void 0;
  }, "__wbg___wbindgen_is_undefined_8865fb403f8fe9d8"), __wbg___wbindgen_jsval_eq_02babf21faa37971: /* @__PURE__ */ __name(function(e, t) {
    return e === t;
  }, "__wbg___wbindgen_jsval_eq_02babf21faa37971"), __wbg___wbindgen_jsval_loose_eq_677f21e468d6b461: /* @__PURE__ */ __name(function(e, t) {
    return e == t;
  }, "__wbg___wbindgen_jsval_loose_eq_677f21e468d6b461"), __wbg___wbindgen_number_get_2e0e7dee9f701a71: /* @__PURE__ */ __name(function(e, t) {
    let n = t, _ = typeof n == "number" ? n : void 0;
    g().setFloat64(e + 8, u(_) ? 0 : _, true), g().setInt32(e + 0, !u(_), true);
  }, "__wbg___wbindgen_number_get_2e0e7dee9f701a71"), __wbg___wbindgen_reinit_3f79fdb34dee3ea9: /* @__PURE__ */ __name(function() {
    M = true;
  }, "__wbg___wbindgen_reinit_3f79fdb34dee3ea9"), __wbg___wbindgen_string_get_0380ccaa2f57f0d9: /* @__PURE__ */ __name(function(e, t) {
    let n = t, _ = typeof n == "string" ? n : void 0;
    var s = u(_) ? 0 : v(_, i.__wbindgen_malloc, i.__wbindgen_realloc), a = h;
    g().setInt32(e + 4, a, true), g().setInt32(e + 0, s, true);
  }, "__wbg___wbindgen_string_get_0380ccaa2f57f0d9"), __wbg___wbindgen_throw_41e9ee4f547fc59a: /* @__PURE__ */ __name(function(e, t) {
    throw new WebAssembly.Exception(U, [new Error(w(e, t))]);
  }, "__wbg___wbindgen_throw_41e9ee4f547fc59a"), __wbg__wbg_cb_unref_dcc1a90847f04c41: /* @__PURE__ */ __name(function(e) {
    e._wbg_cb_unref();
  }, "__wbg__wbg_cb_unref_dcc1a90847f04c41"), __wbg_ack_7b6b386461f37e32: /* @__PURE__ */ __name(function(e) {
    e.ack();
  }, "__wbg_ack_7b6b386461f37e32"), __wbg_arrayBuffer_aa7cad37be6e6b29: /* @__PURE__ */ __name(function(e) {
    return e.arrayBuffer();
  }, "__wbg_arrayBuffer_aa7cad37be6e6b29"), __wbg_body_4e088733babc630d: /* @__PURE__ */ __name(function(e) {
    let t = e.body;
    return u(t) ? 0 : l(t);
  }, "__wbg_body_4e088733babc630d"), __wbg_body_7d841bc72644d2cb: /* @__PURE__ */ __name(function(e) {
    return e.body;
  }, "__wbg_body_7d841bc72644d2cb"), __wbg_buffer_56ec2905a66f58b9: /* @__PURE__ */ __name(function(e) {
    return e.buffer;
  }, "__wbg_buffer_56ec2905a66f58b9"), __wbg_byobRequest_54f7ce41d584549a: /* @__PURE__ */ __name(function(e) {
    let t = e.byobRequest;
    return u(t) ? 0 : l(t);
  }, "__wbg_byobRequest_54f7ce41d584549a"), __wbg_byteLength_9f985b8373f1f3fe: /* @__PURE__ */ __name(function(e) {
    return e.byteLength;
  }, "__wbg_byteLength_9f985b8373f1f3fe"), __wbg_byteOffset_0bd5a6a03553639c: /* @__PURE__ */ __name(function(e) {
    return e.byteOffset;
  }, "__wbg_byteOffset_0bd5a6a03553639c"), __wbg_call_1875a20c43a36133: /* @__PURE__ */ __name(function(e, t, n, _) {
    return e.call(t, n, _);
  }, "__wbg_call_1875a20c43a36133"), __wbg_call_187d372bd5fdd4aa: /* @__PURE__ */ __name(function(e, t, n) {
    return e.call(t, n);
  }, "__wbg_call_187d372bd5fdd4aa"), __wbg_call_6137034ef55c9d0f: /* @__PURE__ */ __name(function(e, t) {
    return e.call(t);
  }, "__wbg_call_6137034ef55c9d0f"), __wbg_call_939a2607c4484b0b: /* @__PURE__ */ __name(function(e, t, n, _, s) {
    return e.call(t, n, _, s);
  }, "__wbg_call_939a2607c4484b0b"), __wbg_cancel_7c2a08c8db4c73f3: /* @__PURE__ */ __name(function(e) {
    return e.cancel();
  }, "__wbg_cancel_7c2a08c8db4c73f3"), __wbg_catch_92594c2d17f55f12: /* @__PURE__ */ __name(function(e, t) {
    return e.catch(t);
  }, "__wbg_catch_92594c2d17f55f12"), __wbg_cause_19276d032a32d4bd: /* @__PURE__ */ __name(function(e) {
    return e.cause;
  }, "__wbg_cause_19276d032a32d4bd"), __wbg_cf_909bcfb212a8822c: /* @__PURE__ */ __name(function(e) {
    let t = e.cf;
    return u(t) ? 0 : l(t);
  }, "__wbg_cf_909bcfb212a8822c"), __wbg_cf_b47fe5ff6d015a0d: /* @__PURE__ */ __name(function(e) {
    let t = e.cf;
    return u(t) ? 0 : l(t);
  }, "__wbg_cf_b47fe5ff6d015a0d"), __wbg_close_185286988f30f252: /* @__PURE__ */ __name(function(e) {
    e.close();
  }, "__wbg_close_185286988f30f252"), __wbg_close_748f26698dabe269: /* @__PURE__ */ __name(function(e) {
    e.close();
  }, "__wbg_close_748f26698dabe269"), __wbg_constructor_076176ce0f386e16: /* @__PURE__ */ __name(function(e) {
    return e.constructor;
  }, "__wbg_constructor_076176ce0f386e16"), __wbg_done_b41a1d26cdb37fb6: /* @__PURE__ */ __name(function(e) {
    return e.done;
  }, "__wbg_done_b41a1d26cdb37fb6"), __wbg_enqueue_4a01c128f9a0de16: /* @__PURE__ */ __name(function(e, t) {
    e.enqueue(t);
  }, "__wbg_enqueue_4a01c128f9a0de16"), __wbg_entries_fb6397112b1de25f: /* @__PURE__ */ __name(function(e) {
    return Object.entries(e);
  }, "__wbg_entries_fb6397112b1de25f"), __wbg_error_757e9472f8410341: /* @__PURE__ */ __name(function(e, t) {
    let n, _;
    try {
      n = e, _ = t, console.error(w(e, t));
    } finally {
      c();
      try {
        i.__wbindgen_free(n, _, 1);
      } catch (s) {
        o(s);
      }
    }
  }, "__wbg_error_757e9472f8410341"), __wbg_error_a30e98d44009f1bb: /* @__PURE__ */ __name(function(e, t) {
    console.error(e, t);
  }, "__wbg_error_a30e98d44009f1bb"), __wbg_error_c9cf3fc2064683a9: /* @__PURE__ */ __name(function(e) {
    console.error(e);
  }, "__wbg_error_c9cf3fc2064683a9"), __wbg_fetch_0e46da8cf7c730e4: /* @__PURE__ */ __name(function(e, t, n, _) {
    return e.fetch(w(t, n), _);
  }, "__wbg_fetch_0e46da8cf7c730e4"), __wbg_fetch_7b5de4f88137a4dc: /* @__PURE__ */ __name(function(e, t, n) {
    return e.fetch(t, n);
  }, "__wbg_fetch_7b5de4f88137a4dc"), __wbg_forEach_7ad975c8e42636ed: /* @__PURE__ */ __name(function(e, t, n) {
    try {
      var _ = { a: t, b: n }, s = /* @__PURE__ */ __name((a, b) => {
        let d = _.a;
        _.a = 0;
        try {
          return ue(d, _.b, a, b);
        } finally {
          _.a = d;
        }
      }, "s");
      e.forEach(s);
    } finally {
      _.a = 0;
    }
  }, "__wbg_forEach_7ad975c8e42636ed"), __wbg_getRandomValues_a608c4436c19407a: /* @__PURE__ */ __name(function(e, t) {
    globalThis.crypto.getRandomValues(S(e, t));
  }, "__wbg_getRandomValues_a608c4436c19407a"), __wbg_getReader_bf34f92ee19c42b4: /* @__PURE__ */ __name(function(e) {
    return e.getReader();
  }, "__wbg_getReader_bf34f92ee19c42b4"), __wbg_getTime_f5a55efff2585d5d: /* @__PURE__ */ __name(function(e) {
    return e.getTime();
  }, "__wbg_getTime_f5a55efff2585d5d"), __wbg_get_31af05bd4842a84f: /* @__PURE__ */ __name(function(e, t) {
    return Reflect.get(e, t);
  }, "__wbg_get_31af05bd4842a84f"), __wbg_get_658f6698067d9515: /* @__PURE__ */ __name(function(e, t) {
    return Reflect.get(e, t);
  }, "__wbg_get_658f6698067d9515"), __wbg_get_6c896e0571ddae51: /* @__PURE__ */ __name(function(e, t) {
    return e[t >>> 0];
  }, "__wbg_get_6c896e0571ddae51"), __wbg_get_88983e33467eae60: /* @__PURE__ */ __name(function(e, t) {
    let n = Reflect.get(e, t);
    return u(n) ? 0 : l(n);
  }, "__wbg_get_88983e33467eae60"), __wbg_get_done_7020b91c987365c7: /* @__PURE__ */ __name(function(e) {
    let t = e.done;
    return u(t) ? 16777215 : t ? 1 : 0;
  }, "__wbg_get_done_7020b91c987365c7"), __wbg_get_f75619e20cb68514: /* @__PURE__ */ __name(function(e, t, n, _) {
    let s = t.get(w(n, _));
    var a = u(s) ? 0 : v(s, i.__wbindgen_malloc, i.__wbindgen_realloc), b = h;
    g().setInt32(e + 4, b, true), g().setInt32(e + 0, a, true);
  }, "__wbg_get_f75619e20cb68514"), __wbg_get_unchecked_288889d017702237: /* @__PURE__ */ __name(function(e, t) {
    return e[t >>> 0];
  }, "__wbg_get_unchecked_288889d017702237"), __wbg_get_value_87fbd6ad1283f2e7: /* @__PURE__ */ __name(function(e) {
    return e.value;
  }, "__wbg_get_value_87fbd6ad1283f2e7"), __wbg_get_with_ref_key_6412cf3094599694: /* @__PURE__ */ __name(function(e, t) {
    return e[t];
  }, "__wbg_get_with_ref_key_6412cf3094599694"), __wbg_headers_6930a8bd09b630de: /* @__PURE__ */ __name(function(e) {
    return e.headers;
  }, "__wbg_headers_6930a8bd09b630de"), __wbg_headers_eba93595f8944c2f: /* @__PURE__ */ __name(function(e) {
    return e.headers;
  }, "__wbg_headers_eba93595f8944c2f"), __wbg_instanceId_9b67ff33ae8bef8a: /* @__PURE__ */ __name(function(e) {
    return e.instanceId;
  }, "__wbg_instanceId_9b67ff33ae8bef8a"), __wbg_instanceof_ArrayBuffer_a99f175873e5d9b8: /* @__PURE__ */ __name(function(e) {
    let t;
    try {
      t = e instanceof ArrayBuffer;
    } catch {
      t = false;
    }
    return t;
  }, "__wbg_instanceof_ArrayBuffer_a99f175873e5d9b8"), __wbg_instanceof_Error_80a725f81f2e102d: /* @__PURE__ */ __name(function(e) {
    let t;
    try {
      t = e instanceof Error;
    } catch {
      t = false;
    }
    return t;
  }, "__wbg_instanceof_Error_80a725f81f2e102d"), __wbg_instanceof_Map_b2611749102d7ba3: /* @__PURE__ */ __name(function(e) {
    let t;
    try {
      t = e instanceof Map;
    } catch {
      t = false;
    }
    return t;
  }, "__wbg_instanceof_Map_b2611749102d7ba3"), __wbg_instanceof_ReadableStream_e2d77912575119ab: /* @__PURE__ */ __name(function(e) {
    let t;
    try {
      t = e instanceof ReadableStream;
    } catch {
      t = false;
    }
    return t;
  }, "__wbg_instanceof_ReadableStream_e2d77912575119ab"), __wbg_instanceof_Response_b8758567269c30b2: /* @__PURE__ */ __name(function(e) {
    let t;
    try {
      t = e instanceof Response;
    } catch {
      t = false;
    }
    return t;
  }, "__wbg_instanceof_Response_b8758567269c30b2"), __wbg_instanceof_Uint8Array_828cef2aaacafc31: /* @__PURE__ */ __name(function(e) {
    let t;
    try {
      t = e instanceof Uint8Array;
    } catch {
      t = false;
    }
    return t;
  }, "__wbg_instanceof_Uint8Array_828cef2aaacafc31"), __wbg_isArray_e15a2ff68ffdbef2: /* @__PURE__ */ __name(function(e) {
    return Array.isArray(e);
  }, "__wbg_isArray_e15a2ff68ffdbef2"), __wbg_isSafeInteger_717808ad6a54bd9e: /* @__PURE__ */ __name(function(e) {
    return Number.isSafeInteger(e);
  }, "__wbg_isSafeInteger_717808ad6a54bd9e"), __wbg_iterator_e3c31c892080e444: /* @__PURE__ */ __name(function() {
    return Symbol.iterator;
  }, "__wbg_iterator_e3c31c892080e444"), __wbg_json_62c1da850fdfa792: /* @__PURE__ */ __name(function(e) {
    return e.json();
  }, "__wbg_json_62c1da850fdfa792"), __wbg_keys_bac434c8972731d5: /* @__PURE__ */ __name(function(e) {
    return e.keys();
  }, "__wbg_keys_bac434c8972731d5"), __wbg_length_7f3c00c40364105e: /* @__PURE__ */ __name(function(e) {
    return e.length;
  }, "__wbg_length_7f3c00c40364105e"), __wbg_length_d4bdea10311bd9cf: /* @__PURE__ */ __name(function(e) {
    return e.length;
  }, "__wbg_length_d4bdea10311bd9cf"), __wbg_limit_6889f006e0adfbe8: /* @__PURE__ */ __name(function(e, t) {
    return e.limit(t);
  }, "__wbg_limit_6889f006e0adfbe8"), __wbg_log_17c30ef363c61cf4: /* @__PURE__ */ __name(function(e) {
    console.log(e);
  }, "__wbg_log_17c30ef363c61cf4"), __wbg_message_5f8387f0c32b90a7: /* @__PURE__ */ __name(function(e) {
    return e.message;
  }, "__wbg_message_5f8387f0c32b90a7"), __wbg_messages_7842de91c486e343: /* @__PURE__ */ __name(function(e) {
    return e.messages;
  }, "__wbg_messages_7842de91c486e343"), __wbg_method_6d02ee0808a7de31: /* @__PURE__ */ __name(function(e, t) {
    let n = t.method, _ = v(n, i.__wbindgen_malloc, i.__wbindgen_realloc), s = h;
    g().setInt32(e + 4, s, true), g().setInt32(e + 0, _, true);
  }, "__wbg_method_6d02ee0808a7de31"), __wbg_minifyconfig_new: /* @__PURE__ */ __name(function(e) {
    return m.__wrap(e);
  }, "__wbg_minifyconfig_new"), __wbg_name_e2eac7cdfa054f65: /* @__PURE__ */ __name(function(e) {
    return e.name;
  }, "__wbg_name_e2eac7cdfa054f65"), __wbg_name_f9b814d78e8e299f: /* @__PURE__ */ __name(function(e) {
    return e.name;
  }, "__wbg_name_f9b814d78e8e299f"), __wbg_new_0_72d020f0c63443d4: /* @__PURE__ */ __name(function() {
    return /* @__PURE__ */ new Date();
  }, "__wbg_new_0_72d020f0c63443d4"), __wbg_new_19b54b3359530094: /* @__PURE__ */ __name(function(e, t, n, _, s, a) {
    return new ce(w(e, t), w(n, _), w(s, a));
  }, "__wbg_new_19b54b3359530094"), __wbg_new_1dbf7428bba60a42: /* @__PURE__ */ __name(function(e) {
    return new Uint8Array(e);
  }, "__wbg_new_1dbf7428bba60a42"), __wbg_new_227d7c05414eb861: /* @__PURE__ */ __name(function() {
    return new Error();
  }, "__wbg_new_227d7c05414eb861"), __wbg_new_28744009d011f847: /* @__PURE__ */ __name(function() {
    return /* @__PURE__ */ new Map();
  }, "__wbg_new_28744009d011f847"), __wbg_new_343a093a3c2ffb4e: /* @__PURE__ */ __name(function(e, t) {
    return new Error(w(e, t));
  }, "__wbg_new_343a093a3c2ffb4e"), __wbg_new_617a8cdb8bb1130e: /* @__PURE__ */ __name(function() {
    return new Object();
  }, "__wbg_new_617a8cdb8bb1130e"), __wbg_new_83ca405eae412a62: /* @__PURE__ */ __name(function() {
    return new Headers();
  }, "__wbg_new_83ca405eae412a62"), __wbg_new_ee2291f50781bf1d: /* @__PURE__ */ __name(function() {
    return new Array();
  }, "__wbg_new_ee2291f50781bf1d"), __wbg_new_typed_b01cb72a8af741a3: /* @__PURE__ */ __name(function(e, t) {
    try {
      var n = { a: e, b: t }, _ = /* @__PURE__ */ __name((a, b) => {
        let d = n.a;
        n.a = 0;
        try {
          return be(d, n.b, a, b);
        } finally {
          n.a = d;
        }
      }, "_");
      return new Promise(_);
    } finally {
      n.a = 0;
    }
  }, "__wbg_new_typed_b01cb72a8af741a3"), __wbg_new_with_byte_offset_and_length_2f5d7fc2a828b74d: /* @__PURE__ */ __name(function(e, t, n) {
    return new Uint8Array(e, t >>> 0, n >>> 0);
  }, "__wbg_new_with_byte_offset_and_length_2f5d7fc2a828b74d"), __wbg_new_with_str_and_init_4618dee4e950224f: /* @__PURE__ */ __name(function(e, t, n) {
    return new Request(w(e, t), n);
  }, "__wbg_new_with_str_and_init_4618dee4e950224f"), __wbg_next_33784799010f1bbe: /* @__PURE__ */ __name(function(e) {
    return e.next;
  }, "__wbg_next_33784799010f1bbe"), __wbg_next_f4aac29c42af995c: /* @__PURE__ */ __name(function(e) {
    return e.next();
  }, "__wbg_next_f4aac29c42af995c"), __wbg_prototypesetcall_bc27214492979395: /* @__PURE__ */ __name(function(e, t, n) {
    Uint8Array.prototype.set.call(S(e, t), n);
  }, "__wbg_prototypesetcall_bc27214492979395"), __wbg_push_2baf45db356cf468: /* @__PURE__ */ __name(function(e, t) {
    return e.push(t);
  }, "__wbg_push_2baf45db356cf468"), __wbg_queueMicrotask_9833f9a49df95a49: /* @__PURE__ */ __name(function(e) {
    return e.queueMicrotask;
  }, "__wbg_queueMicrotask_9833f9a49df95a49"), __wbg_queueMicrotask_a72f977e97f23c5f: /* @__PURE__ */ __name(function(e) {
    queueMicrotask(e);
  }, "__wbg_queueMicrotask_a72f977e97f23c5f"), __wbg_queue_3959d8eb4f15b4bb: /* @__PURE__ */ __name(function(e) {
    return e.queue;
  }, "__wbg_queue_3959d8eb4f15b4bb"), __wbg_read_2a943774344c9728: /* @__PURE__ */ __name(function(e) {
    return e.read();
  }, "__wbg_read_2a943774344c9728"), __wbg_releaseLock_eb64cd83aa9fcfe4: /* @__PURE__ */ __name(function(e) {
    e.releaseLock();
  }, "__wbg_releaseLock_eb64cd83aa9fcfe4"), __wbg_resolve_0076e10020304ede: /* @__PURE__ */ __name(function(e) {
    return Promise.resolve(e);
  }, "__wbg_resolve_0076e10020304ede"), __wbg_respond_2f7447824c0f5cd6: /* @__PURE__ */ __name(function(e, t, n, _, s, a) {
    return G(e, w(t, n), S(_, s), a !== 0);
  }, "__wbg_respond_2f7447824c0f5cd6"), __wbg_respond_c102fabcc79e5ef0: /* @__PURE__ */ __name(function(e, t) {
    e.respond(t >>> 0);
  }, "__wbg_respond_c102fabcc79e5ef0"), __wbg_retryAll_108d43f73f50c82e: /* @__PURE__ */ __name(function(e, t) {
    e.retryAll(t);
  }, "__wbg_retryAll_108d43f73f50c82e"), __wbg_retry_9051b0b206a27925: /* @__PURE__ */ __name(function(e, t) {
    e.retry(t);
  }, "__wbg_retry_9051b0b206a27925"), __wbg_send_7cbaf95c23b3722e: /* @__PURE__ */ __name(function(e, t) {
    return e.send(t);
  }, "__wbg_send_7cbaf95c23b3722e"), __wbg_send_9ec1ced4071b418f: /* @__PURE__ */ __name(function(e, t, n) {
    return e.send(t, n);
  }, "__wbg_send_9ec1ced4071b418f"), __wbg_set_145a351398b48c65: /* @__PURE__ */ __name(function(e, t, n) {
    return Reflect.set(e, t, n);
  }, "__wbg_set_145a351398b48c65"), __wbg_set_575d3ddb70fe831d: /* @__PURE__ */ __name(function(e, t, n) {
    e.set(S(t, n));
  }, "__wbg_set_575d3ddb70fe831d"), __wbg_set_6ae97e73113c4f0b: /* @__PURE__ */ __name(function(e, t, n) {
    return e.set(t, n);
  }, "__wbg_set_6ae97e73113c4f0b"), __wbg_set_6be42768c690e380: /* @__PURE__ */ __name(function(e, t, n) {
    e[t] = n;
  }, "__wbg_set_6be42768c690e380"), __wbg_set_af5932e3f78b5648: /* @__PURE__ */ __name(function(e, t, n, _, s) {
    e.set(w(t, n), w(_, s));
  }, "__wbg_set_af5932e3f78b5648"), __wbg_set_bea140a88be9b277: /* @__PURE__ */ __name(function(e, t, n) {
    e[t >>> 0] = n;
  }, "__wbg_set_bea140a88be9b277"), __wbg_set_body_1fb0f1008bfc7df6: /* @__PURE__ */ __name(function(e, t) {
    e.body = t;
  }, "__wbg_set_body_1fb0f1008bfc7df6"), __wbg_set_cache_7507c4cc5938ccc7: /* @__PURE__ */ __name(function(e, t) {
    e.cache = de[t];
  }, "__wbg_set_cache_7507c4cc5938ccc7"), __wbg_set_criticalError_3904d60fe2a0b05b: /* @__PURE__ */ __name(function(e, t) {
    e.criticalError = t !== 0;
  }, "__wbg_set_criticalError_3904d60fe2a0b05b"), __wbg_set_headers_40ad33dcf016613f: /* @__PURE__ */ __name(function(e, t) {
    e.headers = t;
  }, "__wbg_set_headers_40ad33dcf016613f"), __wbg_set_instanceId_9ad5caac0a4e519c: /* @__PURE__ */ __name(function(e, t) {
    e.instanceId = t >>> 0;
  }, "__wbg_set_instanceId_9ad5caac0a4e519c"), __wbg_set_method_dcb32343247ec427: /* @__PURE__ */ __name(function(e, t, n) {
    e.method = w(t, n);
  }, "__wbg_set_method_dcb32343247ec427"), __wbg_set_redirect_cc128ab2411da334: /* @__PURE__ */ __name(function(e, t) {
    e.redirect = we[t];
  }, "__wbg_set_redirect_cc128ab2411da334"), __wbg_set_signal_2dbd377604627f26: /* @__PURE__ */ __name(function(e, t) {
    e.signal = t;
  }, "__wbg_set_signal_2dbd377604627f26"), __wbg_stack_3b0d974bbf31e44f: /* @__PURE__ */ __name(function(e, t) {
    let n = t.stack, _ = v(n, i.__wbindgen_malloc, i.__wbindgen_realloc), s = h;
    g().setInt32(e + 4, s, true), g().setInt32(e + 0, _, true);
  }, "__wbg_stack_3b0d974bbf31e44f"), __wbg_static_accessor_GLOBAL_266715b9d96ba635: /* @__PURE__ */ __name(function() {
    let e = typeof global > "u" ? null : global;
    return u(e) ? 0 : l(e);
  }, "__wbg_static_accessor_GLOBAL_266715b9d96ba635"), __wbg_static_accessor_GLOBAL_THIS_10fb7dc1ae063179: /* @__PURE__ */ __name(function() {
    let e = typeof globalThis > "u" ? null : globalThis;
    return u(e) ? 0 : l(e);
  }, "__wbg_static_accessor_GLOBAL_THIS_10fb7dc1ae063179"), __wbg_static_accessor_INIT_STATE_e3fce2ad8a08e94e: /* @__PURE__ */ __name(function() {
    return K;
  }, "__wbg_static_accessor_INIT_STATE_e3fce2ad8a08e94e"), __wbg_static_accessor_SELF_0b583911f537483a: /* @__PURE__ */ __name(function() {
    let e = typeof self > "u" ? null : self;
    return u(e) ? 0 : l(e);
  }, "__wbg_static_accessor_SELF_0b583911f537483a"), __wbg_static_accessor_WINDOW_d7f903d1508cbdc4: /* @__PURE__ */ __name(function() {
    let e = typeof window > "u" ? null : window;
    return u(e) ? 0 : l(e);
  }, "__wbg_static_accessor_WINDOW_d7f903d1508cbdc4"), __wbg_status_ce0a98d3c57125f3: /* @__PURE__ */ __name(function(e) {
    return e.status;
  }, "__wbg_status_ce0a98d3c57125f3"), __wbg_stringify_52ff602c1cc4fbb6: /* @__PURE__ */ __name(function(e) {
    return JSON.stringify(e);
  }, "__wbg_stringify_52ff602c1cc4fbb6"), __wbg_then_c949d5a25a4e78f8: /* @__PURE__ */ __name(function(e, t, n) {
    return e.then(t, n);
  }, "__wbg_then_c949d5a25a4e78f8"), __wbg_then_e71170d78fcf8954: /* @__PURE__ */ __name(function(e, t) {
    return e.then(t);
  }, "__wbg_then_e71170d78fcf8954"), __wbg_url_7bfada5c2297bc70: /* @__PURE__ */ __name(function(e, t) {
    let n = t.url, _ = v(n, i.__wbindgen_malloc, i.__wbindgen_realloc), s = h;
    g().setInt32(e + 4, s, true), g().setInt32(e + 0, _, true);
  }, "__wbg_url_7bfada5c2297bc70"), __wbg_value_f3c585ee8f5ba40c: /* @__PURE__ */ __name(function(e) {
    return e.value;
  }, "__wbg_value_f3c585ee8f5ba40c"), __wbg_view_9c570f33e8d6ab96: /* @__PURE__ */ __name(function(e) {
    let t = e.view;
    return u(t) ? 0 : l(t);
  }, "__wbg_view_9c570f33e8d6ab96"), __wbg_warn_13abc63e0d4b3527: /* @__PURE__ */ __name(function(e) {
    console.warn(e);
  }, "__wbg_warn_13abc63e0d4b3527"), __wbg_webSocket_2b7e8e9549bed673: /* @__PURE__ */ __name(function(e) {
    let t = e.webSocket;
    return u(t) ? 0 : l(t);
  }, "__wbg_webSocket_2b7e8e9549bed673"), __wbindgen_generic_0000000000000001: /* @__PURE__ */ __name(function(e, t) {
    return C(e, t, fe);
  }, "__wbindgen_generic_0000000000000001"), __wbindgen_generic_0000000000000002: /* @__PURE__ */ __name(function(e, t) {
    return C(e, t, se);
  }, "__wbindgen_generic_0000000000000002"), __wbindgen_generic_0000000000000003: /* @__PURE__ */ __name(function(e, t) {
    return C(e, t, ae);
  }, "__wbindgen_generic_0000000000000003"), __wbindgen_generic_0000000000000004: /* @__PURE__ */ __name(function(e) {
    return e;
  }, "__wbindgen_generic_0000000000000004"), __wbindgen_generic_0000000000000005: /* @__PURE__ */ __name(function(e) {
    return e;
  }, "__wbindgen_generic_0000000000000005"), __wbindgen_generic_0000000000000006: /* @__PURE__ */ __name(function(e, t) {
    return w(e, t);
  }, "__wbindgen_generic_0000000000000006"), __wbindgen_generic_0000000000000007: /* @__PURE__ */ __name(function(e) {
    return BigInt.asUintN(64, e);
  }, "__wbindgen_generic_0000000000000007"), __wbindgen_init_externref_table: /* @__PURE__ */ __name(function() {
    let e = i.__wbindgen_externrefs, t = e.grow(4);
    e.set(0, void 0), e.set(t + 0, void 0), e.set(t + 1, null), e.set(t + 2, true), e.set(t + 3, false);
  }, "__wbindgen_init_externref_table"), __wbindgen_jstag: WebAssembly.JSTag, __wbindgen_rethrow_critical: /* @__PURE__ */ __name(function(e) {
    throw new Error("Critical error", { cause: e });
  }, "__wbindgen_rethrow_critical") } };
}
__name(re, "re");
var U = new WebAssembly.Tag({ parameters: ["externref"] });
var B;
var V = false;
function _e() {
  V = true;
  try {
    let r2 = $()[i.__abort_handler.value / 4];
    r2 && i.__wbindgen_export.get(r2)();
  } catch {
  }
}
__name(_e, "_e");
function o(r2) {
  throw r2 instanceof WebAssembly.Exception && r2.is(U) ? r2.getArg(U, 0) : ($()[B] = 1, _e(), r2);
}
__name(o, "o");
function c() {
  if (B ??= i.__instance_terminated.value / 4, $()[B]) {
    if (V || _e(), M) {
      z();
      return;
    }
    throw new Error("Module terminated");
  } else M && z();
}
__name(c, "c");
function se(r2, e, t) {
  c();
  try {
    i.wasm_bindgen__convert__closures_____invoke__h166f1a97fb647c85(r2, e, t);
  } catch (n) {
    o(n);
  }
}
__name(se, "se");
function fe(r2, e, t) {
  let n;
  c();
  try {
    n = i.wasm_bindgen__convert__closures_____invoke__he08686e99823a6dc(r2, e, t);
  } catch (_) {
    o(_);
  }
  if (n[1]) throw ie(n[0]);
}
__name(fe, "fe");
function ae(r2, e, t) {
  let n;
  c();
  try {
    n = i.wasm_bindgen__convert__closures_____invoke__h24fed51bd33ab416(r2, e, t);
  } catch (_) {
    o(_);
  }
  if (n[1]) throw ie(n[0]);
}
__name(ae, "ae");
function ue(r2, e, t, n) {
  c();
  try {
    i.wasm_bindgen__convert__closures_____invoke__h5c5b73bb8c20441b(r2, e, t, n);
  } catch (_) {
    o(_);
  }
}
__name(ue, "ue");
function be(r2, e, t, n) {
  c();
  try {
    i.wasm_bindgen__convert__closures_____invoke__h5c5b73bb8c20441b_33(r2, e, t, n);
  } catch (_) {
    o(_);
  }
}
__name(be, "be");
var ge = ["bytes"];
var de = ["default", "no-store", "reload", "no-cache", "force-cache", "only-if-cached"];
var we = ["follow", "error", "manual"];
var f = 0;
var le = typeof FinalizationRegistry > "u" ? { register: /* @__PURE__ */ __name(() => {
}, "register"), unregister: /* @__PURE__ */ __name(() => {
}, "unregister") } : new FinalizationRegistry(({ ptr: r2, instance: e }) => {
  e === f && i.__wbg_containerstartupoptions_free(r2, 1);
});
var he = typeof FinalizationRegistry > "u" ? { register: /* @__PURE__ */ __name(() => {
}, "register"), unregister: /* @__PURE__ */ __name(() => {
}, "unregister") } : new FinalizationRegistry(({ ptr: r2, instance: e }) => {
  e === f && i.__wbg_intounderlyingbytesource_free(r2, 1);
});
var ye = typeof FinalizationRegistry > "u" ? { register: /* @__PURE__ */ __name(() => {
}, "register"), unregister: /* @__PURE__ */ __name(() => {
}, "unregister") } : new FinalizationRegistry(({ ptr: r2, instance: e }) => {
  e === f && i.__wbg_intounderlyingsink_free(r2, 1);
});
var pe = typeof FinalizationRegistry > "u" ? { register: /* @__PURE__ */ __name(() => {
}, "register"), unregister: /* @__PURE__ */ __name(() => {
}, "unregister") } : new FinalizationRegistry(({ ptr: r2, instance: e }) => {
  e === f && i.__wbg_intounderlyingsource_free(r2, 1);
});
var Q = typeof FinalizationRegistry > "u" ? { register: /* @__PURE__ */ __name(() => {
}, "register"), unregister: /* @__PURE__ */ __name(() => {
}, "unregister") } : new FinalizationRegistry(({ ptr: r2, instance: e }) => {
  e === f && i.__wbg_minifyconfig_free(r2, 1);
});
var me = typeof FinalizationRegistry > "u" ? { register: /* @__PURE__ */ __name(() => {
}, "register"), unregister: /* @__PURE__ */ __name(() => {
}, "unregister") } : new FinalizationRegistry(({ ptr: r2, instance: e }) => {
  e === f && i.__wbg_r2range_free(r2, 1);
});
function l(r2) {
  let e = i.__externref_table_alloc();
  return i.__wbindgen_externrefs.set(e, r2), e;
}
__name(l, "l");
var X = typeof FinalizationRegistry > "u" ? { register: /* @__PURE__ */ __name(() => {
}, "register"), unregister: /* @__PURE__ */ __name(() => {
}, "unregister") } : new FinalizationRegistry((r2) => {
  r2.instance === f && i.__wbindgen_destroy_closure(r2.a, r2.b);
});
function D(r2) {
  let e = typeof r2;
  if (e == "number" || e == "boolean" || r2 == null) return `${r2}`;
  if (e == "string") return `"${r2}"`;
  if (e == "symbol") {
    let _ = r2.description;
    return _ == null ? "Symbol" : `Symbol(${_})`;
  }
  if (e == "function") {
    let _ = r2.name;
    return typeof _ == "string" && _.length > 0 ? `Function(${_})` : "Function";
  }
  if (Array.isArray(r2)) {
    let _ = r2.length, s = "[";
    _ > 0 && (s += D(r2[0]));
    for (let a = 1; a < _; a++) s += ", " + D(r2[a]);
    return s += "]", s;
  }
  let t = /\[object ([^\]]+)\]/.exec(toString.call(r2)), n;
  if (t && t.length > 1) n = t[1];
  else return toString.call(r2);
  if (n == "Object") try {
    return "Object(" + JSON.stringify(r2) + ")";
  } catch {
    return "Object";
  }
  return r2 instanceof Error ? `${r2.name}: ${r2.message}
${r2.stack}` : n;
}
__name(D, "D");
function ve(r2, e) {
  r2 = r2 >>> 0;
  let t = g(), n = [];
  for (let _ = r2; _ < r2 + 4 * e; _ += 4) n.push(i.__wbindgen_externrefs.get(t.getUint32(_, true)));
  return i.__externref_drop_slice(r2, e), n;
}
__name(ve, "ve");
function S(r2, e) {
  return r2 = r2 >>> 0, k().subarray(r2 / 1, r2 / 1 + e);
}
__name(S, "S");
var p = null;
function g() {
  return (p === null || p.buffer.detached === true || p.buffer.detached === void 0 && p.buffer !== i.memory.buffer) && (p = new DataView(i.memory.buffer)), p;
}
__name(g, "g");
var F = null;
function $() {
  return (F === null || F.byteLength === 0) && (F = new Int32Array(i.memory.buffer)), F;
}
__name($, "$");
function w(r2, e) {
  return xe(r2 >>> 0, e);
}
__name(w, "w");
var j = null;
function k() {
  return (j === null || j.byteLength === 0) && (j = new Uint8Array(i.memory.buffer)), j;
}
__name(k, "k");
function u(r2) {
  return r2 == null;
}
__name(u, "u");
function C(r2, e, t) {
  let n = { a: r2, b: e, cnt: 1, instance: f }, _ = /* @__PURE__ */ __name((...s) => {
    if (n.instance !== f) throw new Error("Cannot invoke closure from previous WASM instance");
    n.cnt++;
    let a = n.a;
    n.a = 0;
    try {
      return t(a, n.b, ...s);
    } finally {
      n.a = a, _._wbg_cb_unref();
    }
  }, "_");
  return _._wbg_cb_unref = () => {
    --n.cnt === 0 && (i.__wbindgen_destroy_closure(n.a, n.b), n.a = 0, X.unregister(n));
  }, X.register(_, n, n), _;
}
__name(C, "C");
function Ie(r2, e) {
  let t = e(r2.length * 4, 4) >>> 0;
  for (let n = 0; n < r2.length; n++) {
    let _ = l(r2[n]);
    g().setUint32(t + 4 * n, _, true);
  }
  return h = r2.length, t;
}
__name(Ie, "Ie");
function v(r2, e, t) {
  if (t === void 0) {
    let b = W.encode(r2), d = e(b.length, 1) >>> 0;
    return k().subarray(d, d + b.length).set(b), h = b.length, d;
  }
  let n = r2.length, _ = e(n, 1) >>> 0, s = k(), a = 0;
  for (; a < n; a++) {
    let b = r2.charCodeAt(a);
    if (b > 127) break;
    s[_ + a] = b;
  }
  if (a !== n) {
    a !== 0 && (r2 = r2.slice(a)), _ = t(_, n, n = a + r2.length * 3, 1) >>> 0;
    let b = k().subarray(_ + a, _ + n), d = W.encodeInto(r2, b);
    a += d.written, _ = t(_, n, a, 1) >>> 0;
  }
  return h = a, _;
}
__name(v, "v");
var M = false;
function ie(r2) {
  let e = i.__wbindgen_externrefs.get(r2);
  return i.__externref_table_dealloc(r2), e;
}
__name(ie, "ie");
var oe = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });
oe.decode();
function xe(r2, e) {
  return oe.decode(k().subarray(r2, r2 + e));
}
__name(xe, "xe");
var W = new TextEncoder();
"encodeInto" in W || (W.encodeInto = function(r2, e) {
  let t = W.encode(r2);
  return e.set(t), { read: r2.length, written: t.length };
});
var h = 0;
var N = new WebAssembly.Instance(Y, re());
var i = N.exports;
i.__wbindgen_start();
Error.stackTraceLimit = 100;
var y = Z();
function H() {
  y.criticalError && (console.log("Reinitializing Wasm application"), z(), y.criticalError = false, y.instanceId++);
}
__name(H, "H");
addEventListener("error", (r2) => {
  J(r2.error);
});
function J(r2) {
  r2 instanceof WebAssembly.RuntimeError && (console.error("Critical", r2), y.criticalError = true);
}
__name(J, "J");
var E = class extends Re {
  static {
    __name(this, "E");
  }
};
E.prototype.fetch = function(e) {
  return ee.call(this, e, this.env, this.ctx);
};
E.prototype.queue = function(e) {
  return te.call(this, e, this.env, this.ctx);
};
E.prototype.start = ne;
var Fe = { set: /* @__PURE__ */ __name((r2, e, t, n) => Reflect.set(r2.instance, e, t, n), "set"), has: /* @__PURE__ */ __name((r2, e) => Reflect.has(r2.instance, e), "has"), deleteProperty: /* @__PURE__ */ __name((r2, e) => Reflect.deleteProperty(r2.instance, e), "deleteProperty"), apply: /* @__PURE__ */ __name((r2, e, t) => Reflect.apply(r2.instance, e, t), "apply"), construct: /* @__PURE__ */ __name((r2, e, t) => Reflect.construct(r2.instance, e, t), "construct"), getPrototypeOf: /* @__PURE__ */ __name((r2) => Reflect.getPrototypeOf(r2.instance), "getPrototypeOf"), setPrototypeOf: /* @__PURE__ */ __name((r2, e) => Reflect.setPrototypeOf(r2.instance, e), "setPrototypeOf"), isExtensible: /* @__PURE__ */ __name((r2) => Reflect.isExtensible(r2.instance), "isExtensible"), preventExtensions: /* @__PURE__ */ __name((r2) => Reflect.preventExtensions(r2.instance), "preventExtensions"), getOwnPropertyDescriptor: /* @__PURE__ */ __name((r2, e) => Reflect.getOwnPropertyDescriptor(r2.instance, e), "getOwnPropertyDescriptor"), defineProperty: /* @__PURE__ */ __name((r2, e, t) => Reflect.defineProperty(r2.instance, e, t), "defineProperty"), ownKeys: /* @__PURE__ */ __name((r2) => Reflect.ownKeys(r2.instance), "ownKeys") };
var P = { construct(r2, e, t) {
  try {
    H();
    let n = { instance: Reflect.construct(r2, e, t), instanceId: y.instanceId, ctor: r2, args: e, newTarget: t };
    return new Proxy(n, { ...Fe, get(_, s, a) {
      _.instanceId !== y.instanceId && (_.instance = Reflect.construct(_.ctor, _.args, _.newTarget), _.instanceId = y.instanceId);
      let b = Reflect.get(_.instance, s, a);
      return typeof b != "function" ? b : b.constructor === Function ? new Proxy(b, { apply(d, q, L) {
        H();
        try {
          return d.apply(q, L);
        } catch (R) {
          throw J(R), R;
        }
      } }) : new Proxy(b, { async apply(d, q, L) {
        H();
        try {
          return await d.apply(q, L);
        } catch (R) {
          throw J(R), R;
        }
      } });
    } });
  } catch (n) {
    throw y.criticalError = true, n;
  }
} };
var ze = new Proxy(E, P);
var Me = new Proxy(I, P);
var Pe = new Proxy(m, P);
var qe = new Proxy(x, P);
export {
  Me as ContainerStartupOptions,
  Pe as MinifyConfig,
  qe as R2Range,
  ze as default
};
//# sourceMappingURL=shim.js.map
