package dev.zoomscheduler.nativeimage;

import com.oracle.svm.core.annotate.Delete;
import com.oracle.svm.core.annotate.TargetClass;

/**
 * Leaves the JDK's StAX (streaming XML) implementation out of the native executable. The Amazon services extension
 * registers both StAX factories for reflection in every application that uses one of its clients, for the AWS services
 * that speak XML (S3, the query protocols); that registration alone compiled the JDK's XML parser stack into this
 * executable: about 4 MB of code and metadata (docs/performance.md). This function talks to AWS in JSON only
 * (DynamoDB, SQS, EventBridge and Secrets Manager use the JSON protocol) and reads and writes no XML, so the two
 * factories are deleted from the image: the native-image builder then leaves their registration out, and code that
 * still tried to make one would fail with an error that names the deleted class. Only the native-image builder reads
 * these substitutions; on the JVM they are inert.
 */
final class StreamingXmlLeftOut {

    @TargetClass(className = "com.sun.xml.internal.stream.XMLInputFactoryImpl")
    @Delete
    static final class InputFactory {
    }

    @TargetClass(className = "com.sun.xml.internal.stream.XMLOutputFactoryImpl")
    @Delete
    static final class OutputFactory {
    }
}
