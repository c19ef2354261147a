package dev.zoomscheduler;
import jakarta.ws.rs.*;
@Path("/ping")
public class Ping { @GET public String ping() { return "pong"; } }
