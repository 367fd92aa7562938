package io.hybridci.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs in a fresh JVM whose classpath is one function's shaded jar (plus this class), with the environment the
 * local cloud gives that function: does what Lambda's runtime does on a cold start (instantiate the handler through
 * its no-argument constructor, which builds the real clients from the environment), builds the function's first
 * event, hands it over, and prints {@code HANDLED ok} or {@code HANDLED error <what>}. The parent times spawn to that
 * line. It uses only classes the jar carries (the Lambda core and events libraries) and builds the event itself,
 * as Lambda's runtime would, since the jars do not carry the runtime's serializers.
 *
 * <p>Arguments: {@code handlerClass kind bodyFile [key=value]...}, kind one of {@code http} (keys: method, path,
 * routeKey, {@code header.<name>}), {@code sqs} (message attributes {@code attr.<name>}), {@code stream} (keys: pk,
 * sk, type: an INSERT of that item), {@code schedule}, {@code json} (the body file's bytes to a stream handler).
 */
public final class ColdStartEventProbe {

    public static void main(String[] args) throws Exception {
        String handlerClass = args[0];
        String kind = args[1];
        byte[] body = Files.readAllBytes(Path.of(args[2]));
        Map<String, String> options = new HashMap<>();
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Object handler = Class.forName(handlerClass).getDeclaredConstructor().newInstance();
        try {
            Object answer = switch (kind) {
                case "json" -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    ((RequestStreamHandler) handler).handleRequest(new ByteArrayInputStream(body), out, CONTEXT);
                    yield out.toString(StandardCharsets.UTF_8);
                }
                case "http" -> invoke(handler, http(options, body));
                case "sqs" -> invoke(handler, sqs(options, body));
                case "stream" -> invoke(handler, stream(options));
                case "schedule" -> invoke(handler, schedule());
                default -> throw new IllegalArgumentException("unknown kind " + kind);
            };
            String shown = String.valueOf(answer);
            System.out.println("HANDLED ok " + shown.substring(0, Math.min(200, shown.length())).replace('\n', ' '));
        } catch (Exception | Error e) {
            System.out.println("HANDLED error " + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).replace('\n', ' '));
        }
        System.exit(0);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object invoke(Object handler, Object event) {
        return ((RequestHandler) handler).handleRequest(event, CONTEXT);
    }

    private static APIGatewayV2HTTPEvent http(Map<String, String> options, byte[] body) {
        Map<String, String> headers = new HashMap<>();
        options.forEach((key, value) -> {
            if (key.startsWith("header.")) headers.put(key.substring("header.".length()).toLowerCase(java.util.Locale.ROOT), value);
        });
        String path = options.get("path");
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey(options.get("routeKey")).withRawPath(path)
                .withRawQueryString("").withHeaders(headers)
                .withBody(body.length == 0 ? null : new String(body, StandardCharsets.UTF_8)).withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withAccountId("000000000000").withApiId("local")
                        .withDomainName("127.0.0.1").withDomainPrefix("127")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(options.get("method")).withPath(path)
                                .withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").withUserAgent("coldstart").build())
                        .withRequestId(UUID.randomUUID().toString()).withRouteKey(options.get("routeKey")).withStage("$default")
                        .withTime("01/Jan/2026:00:00:00 +0000").withTimeEpoch(System.currentTimeMillis()).build())
                .build();
    }

    private static SQSEvent sqs(Map<String, String> options, byte[] body) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(UUID.randomUUID().toString());
        message.setReceiptHandle("coldstart");
        message.setBody(new String(body, StandardCharsets.UTF_8));
        message.setEventSource("aws:sqs");
        message.setEventSourceArn("arn:aws:sqs:us-east-1:000000000000:coldstart");
        message.setAwsRegion("us-east-1");
        message.setAttributes(Map.of("SentTimestamp", Long.toString(System.currentTimeMillis()), "ApproximateReceiveCount", "1",
                "MessageGroupId", "coldstart"));
        Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
        options.forEach((key, value) -> {
            if (!key.startsWith("attr.")) return;
            SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
            attribute.setDataType("String");
            attribute.setStringValue(value);
            attribute.setStringListValues(List.of());
            attribute.setBinaryListValues(List.of());
            attributes.put(key.substring("attr.".length()), attribute);
        });
        message.setMessageAttributes(attributes);
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        return event;
    }

    private static DynamodbEvent stream(Map<String, String> options) {
        String now = Instant.now().toString();
        Map<String, AttributeValue> keys = Map.of("pk", new AttributeValue().withS(options.get("pk")), "sk", new AttributeValue().withS(options.get("sk")));
        Map<String, AttributeValue> image = new HashMap<>(keys);
        image.put("type", new AttributeValue().withS(options.get("type")));
        image.put("version", new AttributeValue().withN("1"));
        image.put("updatedAt", new AttributeValue().withS(now));
        image.put("lastActor", new AttributeValue().withS("system:bench"));
        image.put("id", new AttributeValue().withS(options.get("pk").substring(options.get("pk").indexOf('#') + 1)));
        image.put("reason", new AttributeValue().withS("coldstart"));
        image.put("at", new AttributeValue().withS(now));
        StreamRecord record = new StreamRecord();
        record.setKeys(keys);
        record.setNewImage(image);
        record.setSequenceNumber(Long.toString(System.nanoTime()));
        record.setSizeBytes(200L);
        record.setStreamViewType(com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType.NEW_AND_OLD_IMAGES);
        record.setApproximateCreationDateTime(new Date());
        DynamodbEvent.DynamodbStreamRecord streamRecord = new DynamodbEvent.DynamodbStreamRecord();
        streamRecord.setEventID(UUID.randomUUID().toString());
        streamRecord.setEventName("INSERT");
        streamRecord.setEventVersion("1.1");
        streamRecord.setEventSource("aws:dynamodb");
        streamRecord.setAwsRegion("us-east-1");
        streamRecord.setEventSourceARN("arn:aws:dynamodb:us-east-1:000000000000:table/state/stream/coldstart");
        streamRecord.setDynamodb(record);
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(List.of(streamRecord));
        return event;
    }

    private static ScheduledEvent schedule() {
        ScheduledEvent event = new ScheduledEvent();
        event.setId(UUID.randomUUID().toString());
        event.setVersion("0");
        event.setDetailType("Scheduled Event");
        event.setSource("aws.events");
        event.setAccount("000000000000");
        event.setRegion("us-east-1");
        event.setTime(new org.joda.time.DateTime());
        event.setResources(List.of());
        event.setDetail(Map.of());
        return event;
    }

    private static final LambdaLogger LOGGER = new LambdaLogger() {
        @Override
        public void log(String message) {
            System.err.print(message);
        }

        @Override
        public void log(byte[] message) {
            System.err.write(message, 0, message.length);
        }
    };

    private static final Context CONTEXT = new Context() {
        public String getAwsRequestId() { return "coldstart"; }
        public String getLogGroupName() { return "coldstart"; }
        public String getLogStreamName() { return "coldstart"; }
        public String getFunctionName() { return "coldstart"; }
        public String getFunctionVersion() { return "$LATEST"; }
        public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:coldstart"; }
        public CognitoIdentity getIdentity() { return null; }
        public ClientContext getClientContext() { return null; }
        public int getRemainingTimeInMillis() { return 30_000; }
        public int getMemoryLimitInMB() { return 512; }
        public LambdaLogger getLogger() { return LOGGER; }
    };

    private ColdStartEventProbe() {
    }
}
