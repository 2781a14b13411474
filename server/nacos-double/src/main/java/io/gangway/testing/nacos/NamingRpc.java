package io.gangway.testing.nacos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gangway.testing.nacos.NamingStore.InstanceRecord;
import io.gangway.testing.nacos.NamingStore.ServiceKey;
import io.gangway.testing.nacos.RpcDispatcher.CallMeta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The naming module's gRPC handlers ({@code InstanceRequestHandler}, {@code
 * BatchInstanceRequestHandler}, {@code SubscribeServiceRequestHandler}, {@code
 * ServiceQueryRequestHandler}, {@code ServiceListRequestHandler}) and the {@code
 * NotifySubscriberRequest} push to subscribers. The push happens right after the change; the real
 * server delays it by up to 500 ms to merge changes ({@code PushDelayTaskExecuteEngine}).
 */
final class NamingRpc {

  private static final Logger logger = LoggerFactory.getLogger(NamingRpc.class);

  static final int INVALID_PARAM = 400;
  private static final Pattern CLUSTER_NAME = Pattern.compile("^[0-9a-zA-Z-]+$");

  private final NamingStore store;
  private final Connections connections;

  NamingRpc(NamingStore store, Connections connections, Executor pushes) {
    this.store = store;
    this.connections = connections;
    store.onChange(service -> pushes.execute(() -> notifySubscribers(service)));
    connections.onDisconnect(store::dropConnection);
  }

  void registerOn(RpcDispatcher dispatcher) {
    dispatcher.register("InstanceRequest", "InstanceResponse", true, this::instance);
    dispatcher.register("BatchInstanceRequest", "BatchInstanceResponse", true, this::batch);
    dispatcher.register(
        "SubscribeServiceRequest", "SubscribeServiceResponse", true, this::subscribe);
    dispatcher.register("ServiceQueryRequest", "QueryServiceResponse", true, this::query);
    dispatcher.register("ServiceListRequest", "ServiceListResponse", true, this::list);
  }

  /**
   * Parses a client's {@code Instance} and validates it as {@code
   * NamingUtils.checkInstanceIsLegal}; an empty instance id becomes the default {@code
   * ip#port#cluster#group@@service}.
   */
  static InstanceRecord parseInstance(JsonNode node, ServiceKey service) throws RpcException {
    Map<String, String> metadata = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.path("metadata").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      metadata.put(entry.getKey(), entry.getValue().asText());
    }
    long interval = longOf(metadata, "preserved.heart.beat.interval", 5000);
    if (longOf(metadata, "preserved.heart.beat.timeout", 15000) < interval
        || longOf(metadata, "preserved.ip.delete.timeout", 30000) < interval) {
      throw new RpcException(
          INVALID_PARAM,
          "Instance 'heart beat interval' must less than 'heart beat timeout' and 'ip delete"
              + " timeout'.");
    }
    String cluster = Json.text(node, "clusterName");
    if (!cluster.isEmpty() && !CLUSTER_NAME.matcher(cluster).matches()) {
      throw new RpcException(
          INVALID_PARAM,
          String.format(
              "Instance 'clusterName' should be characters with only 0-9a-zA-Z-. (current: %s)",
              cluster));
    }
    String ip = Json.text(node, "ip");
    int port = node.path("port").asInt();
    String instanceId = Json.text(node, "instanceId");
    if (instanceId.isEmpty()) {
      String idCluster = node.hasNonNull("clusterName") ? cluster : "null";
      instanceId = InstanceRecord.defaultId(ip, port, idCluster, service);
    }
    return new InstanceRecord(
        instanceId,
        ip,
        port,
        node.hasNonNull("weight") ? node.get("weight").asDouble() : 1.0,
        !node.hasNonNull("healthy") || node.get("healthy").asBoolean(),
        !node.hasNonNull("enabled") || node.get("enabled").asBoolean(),
        !node.hasNonNull("ephemeral") || node.get("ephemeral").asBoolean(),
        cluster.isBlank() ? NamingStore.DEFAULT_CLUSTER : cluster,
        metadata);
  }

  private ObjectNode instance(JsonNode request, CallMeta meta) throws RpcException {
    ServiceKey service = service(request);
    String type = Json.text(request, "type");
    switch (type) {
      case "registerInstance" ->
          store.publish(
              meta.connectionId(),
              service,
              List.of(parseInstance(request.path("instance"), service)));
      case "deregisterInstance" -> store.unpublish(meta.connectionId(), service);
      default ->
          throw new RpcException(INVALID_PARAM, String.format("Unsupported request type %s", type));
    }
    ObjectNode response = Json.ok();
    response.put("type", type);
    return response;
  }

  private ObjectNode batch(JsonNode request, CallMeta meta) throws RpcException {
    ServiceKey service = service(request);
    String type = Json.text(request, "type");
    if (!"batchRegisterInstance".equals(type)) {
      throw new RpcException(INVALID_PARAM, String.format("Unsupported request type %s", type));
    }
    List<InstanceRecord> instances = new ArrayList<>();
    for (JsonNode node : request.path("instances")) {
      InstanceRecord instance = parseInstance(node, service);
      if (!instance.ephemeral()) {
        throw new RpcException(
            INVALID_PARAM,
            "Batch registration does not allow persistent instance registration , Instance："
                + node);
      }
      instances.add(instance);
    }
    store.publish(meta.connectionId(), service, instances);
    ObjectNode response = Json.ok();
    response.put("type", type);
    return response;
  }

  private ObjectNode subscribe(JsonNode request, CallMeta meta) {
    ServiceKey service = service(request);
    String clusters = Json.text(request, "clusters");
    ObjectNode info = store.serviceInfo(service, clusters, false, false);
    if (request.path("subscribe").asBoolean()) {
      store.subscribe(service, meta.connectionId(), clusters);
    } else {
      store.unsubscribe(service, meta.connectionId());
    }
    ObjectNode response = Json.ok();
    response.put("message", "success");
    response.set("serviceInfo", info);
    return response;
  }

  private ObjectNode query(JsonNode request, CallMeta meta) {
    ObjectNode response = Json.ok();
    response.set(
        "serviceInfo",
        store.serviceInfo(
            service(request),
            Json.text(request, "cluster"),
            request.path("healthyOnly").asBoolean(),
            false));
    return response;
  }

  private ObjectNode list(JsonNode request, CallMeta meta) {
    ServiceKey probe = service(request);
    List<String> names = store.serviceNames(probe.namespace(), probe.group());
    int pageNo = request.path("pageNo").asInt();
    int pageSize = request.path("pageSize").asInt();
    int start = Math.max(0, (pageNo - 1) * pageSize);
    int end = Math.min(names.size(), start + Math.max(0, pageSize));
    ObjectNode response = Json.ok();
    response.put("count", names.size());
    ArrayNode page = response.putArray("serviceNames");
    if (start < names.size()) {
      names.subList(start, end).forEach(page::add);
    }
    return response;
  }

  private void notifySubscribers(ServiceKey service) {
    for (Map.Entry<String, String> subscriber : store.subscribers(service).entrySet()) {
      ObjectNode notify = Json.object();
      notify.set("serviceInfo", store.serviceInfo(service, subscriber.getValue(), false, false));
      notify.put("module", "naming");
      if (!connections.push(subscriber.getKey(), "NotifySubscriberRequest", notify)) {
        logger.debug("[{}] subscriber of {} is gone", subscriber.getKey(), service);
      }
    }
  }

  private static ServiceKey service(JsonNode request) {
    return ServiceKey.of(
        Json.text(request, "namespace"),
        Json.text(request, "groupName"),
        Json.text(request, "serviceName"));
  }

  private static long longOf(Map<String, String> metadata, String key, long defaultValue) {
    try {
      String value = metadata.get(key);
      return value == null ? defaultValue : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return defaultValue;
    }
  }
}
