package io.gangway.testing.nacos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gangway.testing.nacos.RpcDispatcher.CallMeta;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config module's gRPC handlers ({@code ConfigQueryRequestHandler}, {@code
 * ConfigPublishRequestHandler}, {@code ConfigRemoveRequestHandler}, {@code
 * ConfigChangeBatchListenRequestHandler}) and the {@code ConfigChangeNotifyRequest} push of {@code
 * RpcConfigChangeNotifier}. Gray (beta/tag) configs are not modelled and fail loudly.
 */
final class ConfigRpc {

  private static final Logger logger = LoggerFactory.getLogger(ConfigRpc.class);

  /** {@code ConfigQueryResponse.CONFIG_NOT_FOUND}. */
  static final int CONFIG_NOT_FOUND = 300;

  /** {@code ConfigType} values; anything else is stored as {@code text}. */
  static final Set<String> CONFIG_TYPES =
      Set.of("properties", "xml", "json", "text", "html", "yaml", "toml", "unset");

  private final ConfigStore store;
  private final Connections connections;
  private final Set<String> unhandled;

  ConfigRpc(ConfigStore store, Connections connections, Set<String> unhandled, Executor pushes) {
    this.store = store;
    this.connections = connections;
    this.unhandled = unhandled;
    store.onChange(key -> pushes.execute(() -> notifyListeners(key)));
    connections.onDisconnect(store::dropConnection);
  }

  void registerOn(RpcDispatcher dispatcher) {
    dispatcher.register("ConfigQueryRequest", "ConfigQueryResponse", true, this::query);
    dispatcher.register("ConfigPublishRequest", "ConfigPublishResponse", true, this::publish);
    dispatcher.register("ConfigRemoveRequest", "ConfigRemoveResponse", true, this::remove);
    dispatcher.register(
        "ConfigBatchListenRequest", "ConfigChangeBatchListenResponse", true, this::batchListen);
  }

  private ObjectNode query(JsonNode request, CallMeta meta) {
    ConfigStore.Key key = key(request);
    ConfigStore.Item item = store.get(key);
    if (item == null) {
      return Json.fail(CONFIG_NOT_FOUND, "config data not exist");
    }
    ObjectNode response = Json.ok();
    response.put("content", item.content());
    response.put("md5", item.md5());
    response.put("contentType", item.type());
    response.put("lastModified", item.lastModified());
    response.put("beta", false);
    return response;
  }

  private ObjectNode publish(JsonNode request, CallMeta meta) {
    String dataId = Json.text(request, "dataId");
    String group = Json.text(request, "group");
    String content = Json.text(request, "content");
    String invalid = ConfigParams.check(dataId, group, content);
    if (invalid != null) {
      return Json.fail(400, invalid);
    }
    JsonNode addition = request.path("additionMap");
    for (String gray : new String[] {"betaIps", "tag"}) {
      if (!Json.text(addition, gray).isBlank()) {
        return unsupported("ConfigPublishRequest with " + gray, request);
      }
    }
    String type = Json.text(addition, "type");
    type = CONFIG_TYPES.contains(type) ? type : "text";
    ConfigStore.Outcome outcome =
        store.publish(key(request), content, type, Json.textOrNull(request, "casMd5"));
    if (outcome == ConfigStore.Outcome.CAS_CONFLICT) {
      return Json.fail(Json.FAIL, "Cas publish fail, server md5 may have changed.");
    }
    return Json.ok();
  }

  private ObjectNode remove(JsonNode request, CallMeta meta) {
    String invalid =
        ConfigParams.check(Json.text(request, "dataId"), Json.text(request, "group"), "rm");
    if (invalid != null) {
      return Json.fail(Json.FAIL, invalid);
    }
    if (!Json.text(request, "tag").isBlank()) {
      return unsupported("ConfigRemoveRequest with tag", request);
    }
    store.remove(key(request));
    return Json.ok();
  }

  private ObjectNode batchListen(JsonNode request, CallMeta meta) {
    boolean listen = !request.has("listen") || request.get("listen").asBoolean(true);
    ObjectNode response = Json.ok();
    ArrayNode changed = response.putArray("changedConfigs");
    for (JsonNode context : request.path("configListenContexts")) {
      String tenant = Json.text(context, "tenant");
      ConfigStore.Key key =
          ConfigStore.Key.of(tenant, Json.text(context, "group"), Json.text(context, "dataId"));
      if (!listen) {
        store.unlisten(key, meta.connectionId());
        continue;
      }
      store.listen(key, meta.connectionId(), tenant.isBlank());
      if (!store.md5(key).equals(Json.textOrNull(context, "md5"))) {
        ObjectNode change = changed.addObject();
        change.put("group", key.group());
        change.put("dataId", key.dataId());
        change.put("tenant", Json.textOrNull(context, "tenant"));
      }
    }
    return response;
  }

  private void notifyListeners(ConfigStore.Key key) {
    for (Map.Entry<String, Boolean> listener : store.listeners(key).entrySet()) {
      ObjectNode notify = Json.object();
      notify.put("dataId", key.dataId());
      notify.put("group", key.group());
      // A client that listened with a blank tenant gets tenant null back (namespace transfer).
      notify.put("tenant", listener.getValue() ? null : key.namespace());
      notify.put("module", "config");
      if (!connections.push(listener.getKey(), "ConfigChangeNotifyRequest", notify)) {
        logger.debug("[{}] listener of {} is gone", listener.getKey(), key);
      }
    }
  }

  private ObjectNode unsupported(String what, JsonNode request) {
    unhandled.add(what);
    logger.warn("UNSUPPORTED by NacosDouble: {}: {}", what, request);
    return Json.fail(Json.FAIL, what + " is not supported by NacosDouble");
  }

  private static ConfigStore.Key key(JsonNode request) {
    return ConfigStore.Key.of(
        Json.text(request, "tenant"), Json.text(request, "group"), Json.text(request, "dataId"));
  }
}
